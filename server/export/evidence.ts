/**
 * STOPGAP until h/model lands: the evidence-model helpers spec v1 puts in
 * `lib/timeline/grading.ts` (labels) and `lib/timeline/corroboration.ts` (corroborationOf). The
 * briefing builder imports them only from here, so switching to the real modules is this file.
 * Values are read leniently: fields the current model does not know yet are optional.
 */

export type Confidence = 'high' | 'moderate' | 'low';
export type Reliability = 'A' | 'B' | 'C' | 'D' | 'E' | 'F';
export type Credibility = 1 | 2 | 3 | 4 | 5 | 6;
export type Precision = 'year' | 'month' | 'day' | 'time';

export interface GradeMeaning {
  label: string;
  description: string;
}

export const RELIABILITY_GRADES: Readonly<Record<Reliability, GradeMeaning>> = {
  A: {
    label: 'Completely reliable',
    description: 'No doubt about authenticity, trustworthiness or competence.',
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
    description: 'Significant doubts; valid information only at times.',
  },
  E: { label: 'Unreliable', description: 'A history of invalid information.' },
  F: { label: 'Reliability cannot be judged', description: 'No basis to evaluate the source.' },
};

export const CREDIBILITY_GRADES: Readonly<Record<Credibility, GradeMeaning>> = {
  1: {
    label: 'Confirmed by other sources',
    description: 'Confirmed by other independent sources.',
  },
  2: {
    label: 'Probably true',
    description: 'Not confirmed; logical; consistent with what is known.',
  },
  3: { label: 'Possibly true', description: 'Not confirmed; reasonably logical.' },
  4: { label: 'Doubtful', description: 'Not confirmed; possible but not logical.' },
  5: { label: 'Improbable', description: 'Not logical; contradicted by other information.' },
  6: { label: 'Truth cannot be judged', description: 'No basis to evaluate the information.' },
};

export const CONFIDENCE_LEVELS: Readonly<Record<Confidence, GradeMeaning>> = {
  high: { label: 'High', description: 'High-quality information from multiple sources.' },
  moderate: {
    label: 'Moderate',
    description: 'Credibly sourced and plausible, not corroborated enough for high.',
  },
  low: {
    label: 'Low',
    description: 'Questionable or fragmented information, or poorly corroborated.',
  },
};

export const CONFIDENCE_UNSET_LABEL = 'Not assessed';
export const CONFIDENCE_ORDER: readonly Confidence[] = ['high', 'moderate', 'low'];

const LEGACY_CONFIDENCE: Readonly<Record<string, Confidence>> = {
  confirmed: 'high',
  reported: 'moderate',
  assessment: 'moderate',
  unverified: 'low',
};

export function toConfidence(value: unknown): Confidence | undefined {
  if (value === 'high' || value === 'moderate' || value === 'low') return value;
  return typeof value === 'string' && Object.hasOwn(LEGACY_CONFIDENCE, value)
    ? LEGACY_CONFIDENCE[value]
    : undefined;
}

export function formatConfidence(confidence: Confidence | undefined): string {
  return confidence ? CONFIDENCE_LEVELS[confidence].label : CONFIDENCE_UNSET_LABEL;
}

export function formatGrade(source: { reliability?: Reliability; credibility?: number }): string {
  if (source.reliability === undefined && source.credibility === undefined) return '';
  return `${source.reliability ?? '?'}${source.credibility ?? '?'}`;
}

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

export interface Corroboration {
  publishers: number;
  singleSource: boolean;
  unsourced: boolean;
}

/** spec v1: distinct normalized publishers (else URL host minus www.; neither: one "unattributed"). */
export function corroborationOf(event: {
  sources: readonly { publisher?: string; url?: string }[];
}): Corroboration {
  const keys = new Set<string>();
  for (const source of event.sources) {
    const publisher = source.publisher?.trim().toLowerCase().replace(/\s+/g, ' ');
    if (publisher) keys.add(`p:${publisher}`);
    else if (source.url) keys.add(`h:${new URL(source.url).hostname.replace(/^www\./, '')}`);
    else keys.add('unattributed');
  }
  return { publishers: keys.size, singleSource: keys.size === 1, unsourced: keys.size === 0 };
}
