/**
 * The evidence readings the dashboard counts, from the evidence model (spec v1): an event's
 * analytic confidence (ICD 203: high, moderate, low; unset = not assessed; the reader already
 * maps legacy values) and its corroboration (`lib/timeline/corroboration.ts`). Labels come from
 * `lib/timeline/grading.ts`, like the legend's and the panel's.
 */
import { CONFIDENCE_LEVELS, CONFIDENCE_ORDER, CONFIDENCE_UNSET_LABEL } from '../timeline/grading';
import type { TimelineEvent } from '../timeline/model';
import type { Confidence } from '../timeline/values';

export { corroborationOf } from '../timeline/corroboration';

export type ConfidenceLevel = Confidence;

/** The confidence levels in display order; "not assessed" comes after them. */
export const CONFIDENCE_KEYS = [...CONFIDENCE_ORDER, 'none'] as const;

export const CONFIDENCE_LABELS: Record<ConfidenceLevel | 'none', string> = {
  high: CONFIDENCE_LEVELS.high.label,
  moderate: CONFIDENCE_LEVELS.moderate.label,
  low: CONFIDENCE_LEVELS.low.label,
  none: CONFIDENCE_UNSET_LABEL,
};

/** An event's confidence level, or null when it has not been assessed. */
export function confidenceLevelOf(
  event: Pick<TimelineEvent, 'confidence'>,
): ConfidenceLevel | null {
  return event.confidence ?? null;
}
