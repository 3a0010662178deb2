'use client';
/** What the styles on the axis mean: one entry per confidence, as ranges and points show it. */
import { Confidence } from '@/lib/timeline/schemas';

const MEANINGS: Record<Confidence, string> = {
  confirmed: 'Confirmed',
  reported: 'Reported',
  assessment: 'Assessment',
  unverified: 'Unverified',
};

export function Legend() {
  return (
    <ul className="axis-legend" aria-label="Confidence legend" data-testid="axis-legend">
      {Confidence.options.map((confidence) => (
        <li key={confidence}>
          <span className={`legend-dot cb-confidence-${confidence}`} aria-hidden="true" />
          <span className={`legend-swatch cb-confidence-${confidence}`} aria-hidden="true" />
          {MEANINGS[confidence]}
        </li>
      ))}
    </ul>
  );
}
