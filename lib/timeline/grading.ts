/**
 * The words for the evidence scales, in one place: the legend, the event panel, the list and the
 * exports all name grades and confidence levels from here.
 *
 * - Sources are graded on the Admiralty (NATO) system: the reliability of the source, A–F, and
 *   the credibility of the information, 1–6, written together as "B2".
 * - An event's confidence is the US intelligence community's analytic confidence (ICD 203):
 *   high, moderate, low.
 */
import type { Confidence, Credibility, Reliability } from './values';

/** A grade's short name and the one line that says what it means. */
export interface GradeMeaning {
  label: string;
  description: string;
}

/** Reliability of a source (Admiralty scale). */
export const RELIABILITY_GRADES: Readonly<Record<Reliability, GradeMeaning>> = {
  A: {
    label: 'Completely reliable',
    description:
      'No doubt about authenticity, trustworthiness or competence; a history of complete reliability.',
  },
  B: {
    label: 'Usually reliable',
    description: 'Minor doubts; a history of mostly valid information.',
  },
  C: {
    label: 'Fairly reliable',
    description: 'Doubts; has provided valid information in the past.',
  },
  D: {
    label: 'Not usually reliable',
    description: 'Significant doubts; has provided valid information only at times.',
  },
  E: {
    label: 'Unreliable',
    description:
      'Lacks authenticity, trustworthiness and competence; a history of invalid information.',
  },
  F: {
    label: 'Reliability cannot be judged',
    description: 'No basis to evaluate the source (a new source, for instance).',
  },
};

/** Credibility of the information (Admiralty scale). */
export const CREDIBILITY_GRADES: Readonly<Record<Credibility, GradeMeaning>> = {
  1: {
    label: 'Confirmed by other sources',
    description:
      'Confirmed by other independent sources; logical in itself; consistent with what is known.',
  },
  2: {
    label: 'Probably true',
    description: 'Not confirmed; logical in itself; consistent with what is known.',
  },
  3: {
    label: 'Possibly true',
    description: 'Not confirmed; reasonably logical; agrees with some of what is known.',
  },
  4: {
    label: 'Doubtful',
    description: 'Not confirmed; possible but not logical; nothing else points to it.',
  },
  5: {
    label: 'Improbable',
    description: 'Not confirmed; not logical in itself; contradicted by other information.',
  },
  6: {
    label: 'Truth cannot be judged',
    description: 'No basis to evaluate the validity of the information.',
  },
};

/** Analytic confidence of an event (ICD 203), highest first. */
export const CONFIDENCE_LEVELS: Readonly<Record<Confidence, GradeMeaning>> = {
  high: {
    label: 'High',
    description:
      'High-quality information from multiple sources; the nature of the issue allows a solid judgment.',
  },
  moderate: {
    label: 'Moderate',
    description:
      'Credibly sourced and plausible, but not of sufficient quality or corroborated enough for a higher level.',
  },
  low: {
    label: 'Low',
    description:
      'Questionable or fragmented information, or too poorly corroborated to make solid inferences.',
  },
};

/** What an event without a confidence is called. */
export const CONFIDENCE_UNSET_LABEL = 'Not assessed';

/** The confidence levels in the order forms and legends list them. */
export const CONFIDENCE_ORDER: readonly Confidence[] = ['high', 'moderate', 'low'];

/** A confidence as people read it: "High", or "Not assessed". */
export function formatConfidence(confidence: Confidence | undefined): string {
  return confidence ? CONFIDENCE_LEVELS[confidence].label : CONFIDENCE_UNSET_LABEL;
}

/**
 * A source's Admiralty grade as analysts write it: "B2". A missing half is shown as "?" ("B?",
 * "?2"), never guessed (F and 6 mean "cannot be judged", which is a judgment); no grade at all
 * gives "".
 */
export function formatGrade(source: { reliability?: Reliability; credibility?: number }): string {
  if (source.reliability === undefined && source.credibility === undefined) return '';
  return `${source.reliability ?? '?'}${source.credibility ?? '?'}`;
}

/** The grade spelled out: "B2 — usually reliable, probably true". */
export function describeGrade(source: { reliability?: Reliability; credibility?: number }): string {
  const grade = formatGrade(source);
  if (grade === '') return 'Not graded';
  const parts = [
    source.reliability ? RELIABILITY_GRADES[source.reliability].label : 'reliability not graded',
    source.credibility
      ? CREDIBILITY_GRADES[source.credibility as Credibility]?.label
      : 'credibility not graded',
  ];
  return `${grade} — ${parts.filter(Boolean).join(', ').toLowerCase()}`;
}
