const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * Creates a random, URL-safe identifier (lowercase letters and digits).
 * Uses `crypto.getRandomValues`, which browsers provide even outside secure contexts
 * (unlike `crypto.randomUUID`), so it works when the app is opened over plain http on a LAN.
 */
export function createId(length = 16): string {
  const bytes = new Uint8Array(length);
  crypto.getRandomValues(bytes);
  let id = '';
  // 36 does not divide 256, so the modulo is very slightly biased; irrelevant for identifiers.
  for (const byte of bytes) id += ALPHABET[byte % ALPHABET.length];
  return id;
}

/** Timeline and event ids: what createId makes, plus room for ids chosen by importers. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
