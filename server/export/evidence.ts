/**
 * The evidence model as the exports use it: labels from lib/timeline/grading.ts, corroboration
 * from lib/timeline/corroboration.ts, value types from lib/timeline/values.ts. One import point
 * for the briefing builder, so no format reaches for these on its own.
 */
export { type Corroboration, corroborationOf } from '../../lib/timeline/corroboration';
export {
  CONFIDENCE_LEVELS,
  CONFIDENCE_ORDER,
  CONFIDENCE_UNSET_LABEL,
  CREDIBILITY_GRADES,
  describeGrade,
  formatConfidence,
  formatGrade,
  type GradeMeaning,
  RELIABILITY_GRADES,
} from '../../lib/timeline/grading';
export {
  type Confidence,
  type Credibility,
  type Precision,
  type Reliability,
  toConfidence,
} from '../../lib/timeline/values';
