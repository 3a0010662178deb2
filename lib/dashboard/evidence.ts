/**
 * The evidence readings the dashboard counts, per spec v1 of the evidence model: an event's
 * analytic confidence (ICD 203: high, moderate, low; unset = not assessed) and how many
 * independent publishers its sources come from.
 */
import type { TimelineEvent } from '../timeline/model';

export type ConfidenceLevel = 'high' | 'moderate' | 'low';

/** The confidence levels in display order, with "not assessed" last. */
export const CONFIDENCE_LEVELS = ['high', 'moderate', 'low'] as const;

export const CONFIDENCE_LABELS: Record<ConfidenceLevel | 'none', string> = {
  high: 'High',
  moderate: 'Moderate',
  low: 'Low',
  none: 'Not assessed',
};

// Values written before spec v1 read as their v1 level (the model maps them too; a document
// synced from an older client may still hold them).
const LEVEL_OF: Record<string, ConfidenceLevel> = {
  high: 'high',
  moderate: 'moderate',
  low: 'low',
  confirmed: 'high',
  reported: 'moderate',
  assessment: 'moderate',
  unverified: 'low',
};

/** An event's confidence level, or null when it has not been assessed. */
export function confidenceLevelOf(
  event: Pick<TimelineEvent, 'confidence'>,
): ConfidenceLevel | null {
  const value = event.confidence as string | undefined;
  return (value && LEVEL_OF[value]) || null;
}

export interface Corroboration {
  publishers: number;
  singleSource: boolean;
  unsourced: boolean;
}

interface SourceLike {
  url?: string;
  publisher?: string;
}

/**
 * The number of independent publishers behind an event: distinct publisher names (case and
 * spacing ignored); a source without a publisher counts by its URL's host (minus `www.`); sources
 * with neither count together as one unattributed publisher.
 */
export function corroborationOf(event: Pick<TimelineEvent, 'sources'>): Corroboration {
  const publishers = new Set<string>();
  for (const source of event.sources as SourceLike[]) {
    publishers.add(publisherKey(source));
  }
  return {
    publishers: publishers.size,
    singleSource: publishers.size === 1,
    unsourced: publishers.size === 0,
  };
}

function publisherKey(source: SourceLike): string {
  const name = source.publisher?.trim().replace(/\s+/g, ' ').toLowerCase();
  if (name) return `name:${name}`;
  if (source.url) {
    try {
      return `host:${new URL(source.url).hostname.toLowerCase().replace(/^www\./, '')}`;
    } catch {
      // not a URL a reader kept; counts as unattributed
    }
  }
  return 'unattributed';
}
