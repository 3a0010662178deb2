'use client';
/**
 * The grading scales one click away: the Admiralty reliability (A–F) and credibility (1–6)
 * grades, and the ICD 203 confidence levels, with what each means (lib/timeline/grading.ts).
 */
import {
  CONFIDENCE_LEVELS,
  CONFIDENCE_ORDER,
  CREDIBILITY_GRADES,
  type GradeMeaning,
  RELIABILITY_GRADES,
} from '@/lib/timeline/grading';

function Scale({ title, grades }: { title: string; grades: [string, GradeMeaning][] }) {
  return (
    <div className="grading-scale">
      <h4>{title}</h4>
      <dl>
        {grades.map(([grade, meaning]) => (
          <div key={grade}>
            <dt>{grade}</dt>
            <dd>
              {meaning.label && <strong>{meaning.label}. </strong>}
              {meaning.description}
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

export function GradingLegend() {
  return (
    <details className="grading-legend" data-testid="grading-legend">
      <summary>Grading scale</summary>
      <div className="grading-legend-body">
        <Scale title="Source reliability (Admiralty)" grades={Object.entries(RELIABILITY_GRADES)} />
        <Scale
          title="Information credibility (Admiralty)"
          grades={Object.entries(CREDIBILITY_GRADES)}
        />
        <Scale
          title="Event confidence (ICD 203)"
          grades={CONFIDENCE_ORDER.map((level) => [
            CONFIDENCE_LEVELS[level].label,
            { label: '', description: CONFIDENCE_LEVELS[level].description },
          ])}
        />
      </div>
    </details>
  );
}
