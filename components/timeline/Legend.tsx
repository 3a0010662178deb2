'use client';
/**
 * What the styles on the axis mean: one entry per confidence (border style and badge letter, as
 * ranges and points show it), then the single-source flag, uncertain dates and link arrows.
 */
import {
  CONFIDENCE_LEVELS,
  CONFIDENCE_ORDER,
  CONFIDENCE_UNSET_LABEL,
} from '@/lib/timeline/grading';

export function Legend() {
  return (
    <ul className="axis-legend" aria-label="Axis legend" data-testid="axis-legend">
      {CONFIDENCE_ORDER.map((confidence) => (
        <li key={confidence} title={CONFIDENCE_LEVELS[confidence].description}>
          <span className={`legend-swatch cb-confidence-${confidence}`} aria-hidden="true" />
          {CONFIDENCE_LEVELS[confidence].label}
        </li>
      ))}
      <li title="No confidence has been assessed for the event.">
        <span className="legend-swatch cb-confidence-unset" aria-hidden="true" />
        {CONFIDENCE_UNSET_LABEL}
      </li>
      <li title="All the event's sources come from one publisher.">
        <span className="legend-flag" aria-hidden="true">
          1
        </span>
        Single source
      </li>
      <li title="Where an uncertain start or end may lie (earliest to latest).">
        <span className="legend-uncertain" aria-hidden="true" />
        Uncertain date
      </li>
      {/* Shown only while the axis holds bands (CSS :has), i.e. on crowded timelines. */}
      <li className="legend-bands" title="Events too many to draw one by one: zoom in to see them.">
        <span className="legend-band" aria-hidden="true">
          12
        </span>
        Events (click to zoom)
      </li>
      <li title="Select an event to see its links: a cause points at its effect.">
        <span className="legend-arrow" aria-hidden="true" />
        Link (selected event)
      </li>
    </ul>
  );
}
