/**
 * Corroboration: how many independent publishers stand behind an event. Derived from its sources
 * on every read, never stored, so it cannot disagree with them.
 *
 * Publishers are told apart by name, ignoring case and spacing ("Daily NK" = "daily  nk"). A
 * source without a publisher counts by its link's host name without `www.` (dailynk.com); sources
 * with neither count together as one "unattributed" publisher — we cannot tell them apart, so
 * counting them as several would overstate the evidence.
 */

/** What the corroboration of an event is computed from. */
export interface CorroborationSource {
  publisher?: string;
  url?: string;
}

export interface Corroboration {
  /** The number of independent publishers among the event's sources (0 without sources). */
  publishers: number;
  /** Exactly one publisher: the event rests on one voice, however many sources cite it. */
  singleSource: boolean;
  /** No sources at all. */
  unsourced: boolean;
}

const UNATTRIBUTED = '\u0000unattributed';

/** The corroboration of an event (or anything with a list of sources). */
export function corroborationOf(event: {
  sources?: readonly CorroborationSource[];
}): Corroboration {
  const sources = event.sources ?? [];
  const publishers = new Set(sources.map(publisherKey)).size;
  return { publishers, singleSource: publishers === 1, unsourced: sources.length === 0 };
}

/** Who published a source, as corroboration counts it. */
export function publisherKey(source: CorroborationSource): string {
  const name = source.publisher?.trim().replace(/\s+/g, ' ').toLowerCase();
  // A host name stands in for the publisher's name (so "reuters.com" named either way is one).
  return name || hostOf(source.url) || UNATTRIBUTED;
}

function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const host = new URL(url).hostname.toLowerCase();
    return host.startsWith('www.') ? host.slice(4) : host || undefined;
  } catch {
    return undefined;
  }
}
