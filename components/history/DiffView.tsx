'use client';
/**
 * What changed between a saved version and now (or another version): events and lanes added,
 * removed and changed — per field, old → new — and the timeline title. All user text is rendered
 * as React text, never as HTML.
 */
import { type ReactNode, useEffect, useRef } from 'react';
import { formatEventDate, formatMoment, truncate } from '@/lib/format';
import type { ChangedItem, FieldChange, TimelineDiff } from '@/lib/timeline/diff';
import type { FieldSpec, FieldTable } from '@/lib/timeline/fieldSpec';
import { EVENT_FIELDS, LANE_FIELDS, type Lane, type TimelineEvent } from '@/lib/timeline/model';
import type { SnapshotSummary } from '@/lib/timeline/schemas';
import { useSnapshotDiff } from '../api';
import { FormError } from '../ui/FormError';
import { snapshotLabel } from './historyFormat';

const DESCRIPTION_PREVIEW = 90;

/** The timeline title is not an event or lane field; it is shown with the title's label. */
const TIMELINE_FIELDS: FieldTable = { title: EVENT_FIELDS.title };

interface Props {
  timelineId: string;
  /** The older side of the comparison. */
  from: SnapshotSummary;
  /** The newer side: the live timeline or another version. */
  to: SnapshotSummary | 'now';
  /** Lanes of the live timeline, to name the lanes events moved between. */
  lanes: Lane[];
  onClose(): void;
}

export function DiffView({ timelineId, from, to, lanes, onClose }: Props) {
  const diff = useSnapshotDiff(timelineId, from.id, to === 'now' ? 'now' : to.id);
  const sectionRef = useRef<HTMLElement>(null);
  const loaded = diff.data !== undefined;
  // Bring the comparison into view in the scrolling panel once it has its height, keeping the
  // version it belongs to visible above it.
  useEffect(() => {
    const section = sectionRef.current;
    const panel = section?.closest('.panel');
    if (!loaded || !section || !panel) return;
    const panelBox = panel.getBoundingClientRect();
    const box = section.getBoundingClientRect();
    const entryTop = (section.closest('li') ?? section).getBoundingClientRect().top;
    if (box.bottom > panelBox.bottom) {
      panel.scrollBy({
        top: Math.min(box.bottom - panelBox.bottom + 12, entryTop - panelBox.top - 8),
      });
    }
  }, [loaded]);
  return (
    <section ref={sectionRef} className="diff-view" aria-label="Comparison" data-testid="diff-view">
      <header className="diff-header">
        <h3>
          Changes from “{snapshotLabel(from)}”{' '}
          <span className="muted">({formatMoment(from.createdAt)})</span> to{' '}
          {to === 'now' ? (
            'now'
          ) : (
            <>
              “{snapshotLabel(to)}” <span className="muted">({formatMoment(to.createdAt)})</span>
            </>
          )}
        </h3>
        <button
          type="button"
          className="icon-button"
          onClick={onClose}
          aria-label="Close comparison"
          title="Close comparison"
        >
          ×
        </button>
      </header>
      {diff.isPending ? (
        <p className="loading">Comparing…</p>
      ) : diff.error ? (
        <FormError>
          Could not compare these versions: {diff.error.message} Close the comparison and try again.
        </FormError>
      ) : (
        <DiffBody diff={diff.data} lanes={lanes} />
      )}
    </section>
  );
}

function DiffBody({ diff, lanes }: { diff: TimelineDiff; lanes: Lane[] }) {
  if (diff.empty) return <p className="empty diff-empty">No differences.</p>;
  // Name lanes by title wherever they are known: live, or added or removed in this diff.
  const laneTitles = new Map<string, string>();
  for (const lane of [...diff.lanes.removed, ...lanes, ...diff.lanes.added]) {
    laneTitles.set(lane.id, lane.title);
  }
  const { events } = diff;
  return (
    <div className="diff-body">
      {diff.title && (
        <DiffSection title="Timeline title" kind="changed">
          <li className="diff-item">
            <FieldRow
              change={{ field: 'title', ...diff.title }}
              fields={TIMELINE_FIELDS}
              laneTitles={laneTitles}
            />
          </li>
        </DiffSection>
      )}
      {events.added.length > 0 && (
        <DiffSection title={`Events added (${events.added.length})`} kind="added">
          {events.added.map((event) => (
            <EventLine key={event.id} event={event} laneTitles={laneTitles} />
          ))}
        </DiffSection>
      )}
      {events.removed.length > 0 && (
        <DiffSection title={`Events removed (${events.removed.length})`} kind="removed">
          {events.removed.map((event) => (
            <EventLine key={event.id} event={event} laneTitles={laneTitles} />
          ))}
        </DiffSection>
      )}
      {events.changed.length > 0 && (
        <DiffSection title={`Events changed (${events.changed.length})`} kind="changed">
          <ChangedItems
            items={events.changed}
            fields={EVENT_FIELDS}
            laneTitles={laneTitles}
            untitled="(untitled)"
            isEvent
          />
        </DiffSection>
      )}
      {diff.lanes.added.length > 0 && (
        <DiffSection title={`Lanes added (${diff.lanes.added.length})`} kind="added">
          {diff.lanes.added.map((lane) => (
            <LaneLine key={lane.id} lane={lane} />
          ))}
        </DiffSection>
      )}
      {diff.lanes.removed.length > 0 && (
        <DiffSection title={`Lanes removed (${diff.lanes.removed.length})`} kind="removed">
          {diff.lanes.removed.map((lane) => (
            <LaneLine key={lane.id} lane={lane} />
          ))}
        </DiffSection>
      )}
      {diff.lanes.changed.length > 0 && (
        <DiffSection title={`Lanes changed (${diff.lanes.changed.length})`} kind="changed">
          <ChangedItems
            items={diff.lanes.changed}
            fields={LANE_FIELDS}
            laneTitles={laneTitles}
            untitled="(untitled lane)"
          />
        </DiffSection>
      )}
    </div>
  );
}

function DiffSection({
  title,
  kind,
  children,
}: {
  title: string;
  kind: 'added' | 'removed' | 'changed';
  children: ReactNode;
}) {
  return (
    <section className={`diff-section diff-${kind}`} data-diff={kind}>
      <h4>{title}</h4>
      <ul className="diff-list">{children}</ul>
    </section>
  );
}

function EventLine({
  event,
  laneTitles,
}: {
  event: TimelineEvent;
  laneTitles: Map<string, string>;
}) {
  const when = event.end
    ? `${formatEventDate(event.start)} – ${formatEventDate(event.end)}`
    : formatEventDate(event.start);
  return (
    <li className="diff-item" data-event-id={event.id}>
      <span className="diff-item-title">{event.title || '(untitled)'}</span>
      <span className="diff-item-meta">
        {event.kind} · {when} · {laneTitles.get(event.lane) ?? 'unknown lane'}
      </span>
    </li>
  );
}

/** Changed events or lanes: each with its title and one "old → new" row per field. */
function ChangedItems({
  items,
  fields,
  laneTitles,
  untitled,
  isEvent = false,
}: {
  items: ChangedItem[];
  /** The field table of the changed items (event or lane): labels and formatting. */
  fields: FieldTable;
  laneTitles: Map<string, string>;
  untitled: string;
  isEvent?: boolean;
}) {
  return items.map((item) => (
    <li key={item.id} className="diff-item" data-event-id={isEvent ? item.id : undefined}>
      <span className="diff-item-title">{item.title || untitled}</span>
      <ul className="diff-fields">
        {item.changes.map((change) => (
          <li key={change.field}>
            <FieldRow change={change} fields={fields} laneTitles={laneTitles} />
          </li>
        ))}
      </ul>
    </li>
  ));
}

function LaneLine({ lane }: { lane: Lane }) {
  return (
    <li className="diff-item">
      <span className="diff-item-title">
        <span className="swatch" style={{ background: lane.color }} aria-hidden="true" />
        {lane.title || '(untitled lane)'}
      </span>
    </li>
  );
}

/** One field of a changed event or lane: `Title  Outage → Network outage`. */
function FieldRow({
  change,
  fields,
  laneTitles,
}: {
  change: FieldChange;
  fields: FieldTable;
  laneTitles: Map<string, string>;
}) {
  const spec = fields[change.field];
  const name = spec?.label ?? change.field;
  // Long text: a one-line preview of each side, and the full texts on demand.
  if (spec?.storage === 'text') {
    const before = truncate(String(change.before ?? ''), DESCRIPTION_PREVIEW);
    const after = truncate(String(change.after ?? ''), DESCRIPTION_PREVIEW);
    return (
      <div className="diff-field" data-field={change.field}>
        <span className="diff-field-name">{name}</span>
        <span className="diff-values">
          <Value text={before.text || '(empty)'} side="before" />
          {' → '}
          <Value text={after.text || '(empty)'} side="after" />
        </span>
        {(before.truncated || after.truncated) && (
          <details className="diff-full-text">
            <summary>Show full text</summary>
            <p className="diff-full-label">Before</p>
            <p className="diff-full-value">{String(change.before ?? '') || '(empty)'}</p>
            <p className="diff-full-label">After</p>
            <p className="diff-full-value">{String(change.after ?? '') || '(empty)'}</p>
          </details>
        )}
      </div>
    );
  }
  return (
    <div className="diff-field" data-field={change.field}>
      <span className="diff-field-name">{name}</span>
      <span className="diff-values">
        <Value text={formatValue(spec, change.before, laneTitles)} side="before" />
        {' → '}
        <Value text={formatValue(spec, change.after, laneTitles)} side="after" />
      </span>
    </div>
  );
}

function Value({ text, side }: { text: string; side: 'before' | 'after' }) {
  return (
    <span className={`diff-value diff-value-${side}`} title={text}>
      {text}
    </span>
  );
}

/** A value as its field formats it; '(none)' for no value (or an empty list). */
function formatValue(
  spec: FieldSpec | undefined,
  value: unknown,
  laneTitles: Map<string, string>,
): string {
  if (value === undefined || value === null || value === '') return '(none)';
  const text = spec ? spec.format(value, { laneTitles }) : String(value);
  return text === '' ? '(none)' : text;
}
