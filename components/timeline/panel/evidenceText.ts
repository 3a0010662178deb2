/**
 * The evidence as short text for the panel, the tooltip and the list, so the three say the same
 * thing the same way. Pure; the words of the scales themselves are in lib/timeline/grading.ts.
 */
import { formatEventDate, plural } from '@/lib/format';
import { type Corroboration, corroborationOf } from '@/lib/timeline/corroboration';
import { formatGrade } from '@/lib/timeline/grading';
import type { EventSource } from '@/lib/timeline/model';

/** "Unsourced", "Single source", or "3 independent publishers". */
export function describeCorroboration(event: { sources?: readonly EventSource[] }): string {
  return corroborationLabel(corroborationOf(event));
}

export function corroborationLabel({ publishers, singleSource, unsourced }: Corroboration) {
  if (unsourced) return 'Unsourced';
  if (singleSource) return 'Single source';
  return plural(publishers, 'independent publisher');
}

/** A sort key for the list: unsourced first, then by the number of publishers. */
export function corroborationRank(event: { sources?: readonly EventSource[] }): number {
  const { publishers, unsourced } = corroborationOf(event);
  return unsourced ? -1 : publishers;
}

/** A source in one line, as analysts cite it: "B2 · Reuters · 2019-02-18". */
export function summarizeSource(source: EventSource): string {
  return [formatGrade(source), describeOrigin(source)].filter(Boolean).join(' · ');
}

/** Who published a source and when, "Reuters · 2019-02-18" (the grade is shown beside it). */
export function describeOrigin(source: EventSource): string {
  return [source.publisher, formatEventDate(source.publishedAt)].filter(Boolean).join(' · ');
}
