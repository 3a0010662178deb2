'use client';
/** What the styles on the axis mean: one entry per confidence, as ranges and points show it. */
import { CONFIDENCE_LEVELS, CONFIDENCE_ORDER } from '@/lib/timeline/grading';

export function Legend() {
  return (
    <ul className="axis-legend" aria-label="Confidence legend" data-testid="axis-legend">
      {CONFIDENCE_ORDER.map((confidence) => (
        <li key={confidence} title={CONFIDENCE_LEVELS[confidence].description}>
          <span className={`legend-dot cb-confidence-${confidence}`} aria-hidden="true" />
          <span className={`legend-swatch cb-confidence-${confidence}`} aria-hidden="true" />
          {CONFIDENCE_LEVELS[confidence].label}
        </li>
      ))}
    </ul>
  );
}
