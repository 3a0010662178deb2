const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * Creates a random, URL-safe identifier (lowercase letters and digits).
 * Uses `crypto.getRandomValues`, which browsers provide even outside secure contexts
 * (unlike `crypto.randomUUID`), so it works when the app is opened over plain http on a LAN.
 */
export function createId(length = 16): string {
  const codes: number[] = [];
  // 36 does not divide 256, so the modulo is very slightly biased; irrelevant for identifiers.
  for (let i = 0; i < length; i++) codes.push(ALPHABET.charCodeAt(randomByte() % ALPHABET.length));
  // One flat string. Built with `+=`, an id past 12 characters is a chain of V8 cons strings:
  // 100,000 ids kept as map keys (an import's events) took 18.7 MiB of heap instead of 6.3.
  return String.fromCharCode(...codes);
}

/**
 * Random bytes drawn from `crypto.getRandomValues` a pool at a time: one call per id cost a
 * third of a second per 100,000 ids (an import creates one per event). Each byte is used once.
 */
const pool = new Uint8Array(4096);
let poolIndex = pool.length;

function randomByte(): number {
  if (poolIndex === pool.length) {
    crypto.getRandomValues(pool);
    poolIndex = 0;
  }
  return pool[poolIndex++]!;
}

/** Timeline and event ids: what createId makes, plus room for ids chosen by importers. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
