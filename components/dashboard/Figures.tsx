'use client';
/** The headline figures; each is a button that lists the events behind it. */
import type { Figure, FigureKey } from '@/lib/dashboard/figures';

export function Figures({
  figures,
  selected,
  onSelect,
  interactive,
}: {
  figures: Figure[];
  selected: FigureKey | null;
  onSelect(key: FigureKey): void;
  interactive: boolean;
}) {
  return (
    <ul className="figures" aria-label="Headline figures">
      {figures.map((figure) => (
        <li key={figure.key}>
          <button
            type="button"
            className={`figure figure-${figure.key}`}
            data-testid={`figure-${figure.key}`}
            data-value={figure.value}
            aria-pressed={selected === figure.key}
            disabled={!interactive}
            onClick={() => onSelect(figure.key)}
            title={interactive ? `List the events behind “${figure.label}”` : undefined}
          >
            <span className="figure-value">{figure.value}</span>
            <span className="figure-label">{figure.label}</span>
            <span className="figure-detail">{figure.detail}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
