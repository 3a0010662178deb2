/**
 * The one colour palette of the app: lanes without a chosen colour take them in turn, and each
 * person present gets one derived from their name. Saturated mid-tones, so white text and the
 * light timeline background both stay readable on them.
 */
export const PALETTE = [
  '#2563eb',
  '#dc2626',
  '#059669',
  '#d97706',
  '#7c3aed',
  '#0891b2',
  '#db2777',
  '#4d7c0f',
] as const;

/** Shown for a lane whose stored colour is unreadable: neutral, so it does not look chosen. */
export const NEUTRAL_COLOR = '#64748b';

/** A `#rrggbb` colour, the only form lanes store. */
export const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

/** The palette colour at `index`, wrapping around. */
export function pickColor(index: number): string {
  const length = PALETTE.length;
  return PALETTE[((Math.trunc(index) % length) + length) % length]!;
}

/** A palette colour derived from a string (a person's name): the same name, the same colour. */
export function pickColorFor(key: string): string {
  let hash = 0;
  for (const char of key) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return pickColor(hash);
}
