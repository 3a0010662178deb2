'use client';
/**
 * The event's judgment and its uncertain dates: confidence (with what the chosen level means),
 * corroboration (derived from the sources, never edited), the precision of the dates with
 * earliest/latest bounds for start and end, and the location. Every field writes through the
 * panel's `apply` (the session's commands) and shows a refusal beside itself.
 */
import {
  CONFIDENCE_LEVELS,
  corroborationOf,
  EVENT_FIELDS,
  type EventPatch,
  precisionOf,
  type TimelineEvent,
} from '@/lib/timeline/model';
import type { Location } from '@/lib/timeline/values';
import { DateTimeField } from './DateTimeField';
import { corroborationLabel } from './evidenceText';
import { SelectField } from './SelectField';
import { TextField } from './TextField';

const { confidence, precision, location } = EVENT_FIELDS;
const BOUNDS = [
  { name: 'startEarliest', date: 'start' },
  { name: 'startLatest', date: 'start' },
  { name: 'endEarliest', date: 'end' },
  { name: 'endLatest', date: 'end' },
] as const;

interface Props {
  event: TimelineEvent;
  /** Writes a change of the field called `label`; returns why it was refused, or null. */
  apply(patch: EventPatch, label: string): string | null;
}

export function ConfidenceField({ event, apply }: Props) {
  const corroboration = corroborationOf(event);
  const flag = corroboration.unsourced
    ? 'unsourced'
    : corroboration.singleSource
      ? 'single-source'
      : 'corroborated';
  return (
    <div className="evidence-judgment">
      <SelectField
        name="confidence"
        label={confidence.label}
        value={event.confidence ?? ''}
        onCommit={(value) =>
          apply(
            { confidence: value ? (value as NonNullable<TimelineEvent['confidence']>) : null },
            confidence.label,
          )
        }
      >
        <option value="">{confidence.emptyLabel}</option>
        {confidence.options?.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </SelectField>
      <p className="field-hint" data-testid="confidence-meaning">
        {event.confidence
          ? CONFIDENCE_LEVELS[event.confidence].description
          : 'Choose a level once the sources have been weighed.'}
      </p>
      <p
        className={`corroboration corroboration-${flag}`}
        data-testid="corroboration"
        data-publishers={corroboration.publishers}
      >
        {corroborationLabel(corroboration)}
      </p>
    </div>
  );
}

export function DatePrecisionFields({ event, apply }: Props) {
  const hasBounds = BOUNDS.some(({ name }) => event[name] !== undefined);
  return (
    <>
      <SelectField
        name="precision"
        label={precision.label}
        value={event.precision ?? ''}
        onCommit={(value) =>
          apply(
            { precision: value ? (value as NonNullable<TimelineEvent['precision']>) : null },
            precision.label,
          )
        }
      >
        <option value="">
          {precision.emptyLabel} ({derivedPrecisionLabel(event)})
        </option>
        {precision.options?.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </SelectField>
      <details className="panel-details" open={hasBounds}>
        <summary>Uncertain dates{hasBounds ? '' : ' (none)'}</summary>
        <p className="field-hint">
          The window the start or end may lie in; the axis draws it faded.
        </p>
        {BOUNDS.filter(({ date }) => date === 'start' || event.kind !== 'point').map(({ name }) => (
          <DateTimeField
            key={name}
            name={name}
            label={EVENT_FIELDS[name].label}
            value={event[name]}
            // The model refuses a bound that does not enclose its date, and says so.
            onCommit={(iso) => apply({ [name]: iso }, EVENT_FIELDS[name].label)}
          />
        ))}
      </details>
    </>
  );
}

/** What an unset precision reads as, from the dates: "day" or "time". */
function derivedPrecisionLabel(event: TimelineEvent): string {
  const derived = precisionOf({ ...event, precision: undefined });
  return (
    precision.options?.find((option) => option.value === derived)?.label.toLowerCase() ?? derived
  );
}

/** "21.0285, 105.8542" → numbers; null when it is not two numbers. */
function readCoordinates(text: string): { lat: number; lon: number } | null {
  const parts = text
    .split(/[\s,;]+/)
    .filter(Boolean)
    .map(Number);
  if (parts.length !== 2 || parts.some((part) => !Number.isFinite(part))) return null;
  return { lat: parts[0]!, lon: parts[1]! };
}

export function LocationFields({ event, apply }: Props) {
  const place = event.location;
  const write = (next: Location | null, label: string) => apply({ location: next }, label);
  return (
    <div className="location-fields">
      <TextField
        name="location-name"
        label={location.label}
        placeholder="Place name"
        value={place?.name}
        // Emptying the name drops the whole location, coordinates included.
        onCommit={(name) =>
          write(name === null ? null : { ...(place ?? {}), name }, location.label)
        }
      />
      <TextField
        name="location-coordinates"
        label="Coordinates (lat, lon)"
        placeholder="e.g. 21.0285, 105.8542"
        value={place?.lat === undefined ? undefined : `${place.lat}, ${place.lon}`}
        onCommit={(text) => {
          if (!place) return 'Name the place first.';
          if (text === null) return write({ name: place.name }, 'Coordinates');
          const coordinates = readCoordinates(text);
          if (!coordinates)
            return 'Write the coordinates as latitude, longitude (e.g. 21.0285, 105.8542).';
          return write({ name: place.name, ...coordinates }, 'Coordinates');
        }}
      />
    </div>
  );
}
