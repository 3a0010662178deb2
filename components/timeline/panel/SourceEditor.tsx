'use client';
/**
 * Every field of one source (the source field table, lib/timeline/sourceFields.ts): title,
 * link, publisher, published date, excerpt, reliability A–F and credibility 1–6 with their
 * meanings, notes. Text is written when a field is left; grades as soon as they are chosen.
 */
import { CREDIBILITY_GRADES, RELIABILITY_GRADES } from '@/lib/timeline/grading';
import { type EventSource, SOURCE_FIELDS, type SourcePatch } from '@/lib/timeline/model';
import { DateTimeField } from './DateTimeField';
import { SelectField } from './SelectField';
import { TextField } from './TextField';

const F = SOURCE_FIELDS;

export function SourceEditor({
  source,
  onChange,
}: {
  source: EventSource;
  /** Writes a change to the field called `label`; returns why it was refused, or null. */
  onChange(patch: SourcePatch, label: string): string | null;
}) {
  const write = onChange;
  return (
    <div className="source-editor">
      <TextField
        name="source-title"
        label={F.title.label}
        value={source.title}
        onCommit={(value) =>
          value === null
            ? 'A source needs a title. Escape puts the stored one back.'
            : write({ title: value }, F.title.label)
        }
      />
      <TextField
        name="source-url"
        label={F.url.label}
        type="url"
        placeholder="https://"
        value={source.url}
        onCommit={(value) => write({ url: value }, F.url.label)}
      />
      <TextField
        name="source-publisher"
        label={F.publisher.label}
        value={source.publisher}
        onCommit={(value) => write({ publisher: value }, F.publisher.label)}
      />
      <DateTimeField
        name="source-published"
        label={F.publishedAt.label}
        value={source.publishedAt}
        onCommit={(iso) => write({ publishedAt: iso }, F.publishedAt.label)}
      />
      <SelectField
        name="source-reliability"
        label={F.reliability.label}
        value={source.reliability ?? ''}
        onCommit={(value) =>
          write(
            { reliability: value ? (value as EventSource['reliability']) : null },
            F.reliability.label,
          )
        }
      >
        <option value="">Not graded</option>
        {Object.entries(RELIABILITY_GRADES).map(([grade, meaning]) => (
          <option key={grade} value={grade} title={meaning.description}>
            {grade} — {meaning.label}
          </option>
        ))}
      </SelectField>
      <SelectField
        name="source-credibility"
        label={F.credibility.label}
        value={source.credibility === undefined ? '' : String(source.credibility)}
        onCommit={(value) =>
          write({ credibility: value ? Number(value) : null }, F.credibility.label)
        }
      >
        <option value="">Not graded</option>
        {Object.entries(CREDIBILITY_GRADES).map(([grade, meaning]) => (
          <option key={grade} value={grade} title={meaning.description}>
            {grade} — {meaning.label}
          </option>
        ))}
      </SelectField>
      <TextField
        name="source-excerpt"
        label={F.excerpt.label}
        multiline
        placeholder="The passage quoted from the source"
        value={source.excerpt}
        onCommit={(value) => write({ excerpt: value }, F.excerpt.label)}
      />
      <TextField
        name="source-notes"
        label={F.notes.label}
        multiline
        value={source.notes}
        onCommit={(value) => write({ notes: value }, F.notes.label)}
      />
    </div>
  );
}

/** A source's details for a read-only view: the grade in words, the excerpt, the notes. */
export function SourceDetails({ source }: { source: EventSource }) {
  return (
    <div className="source-details">
      {source.excerpt && <blockquote className="source-excerpt">{source.excerpt}</blockquote>}
      {source.notes && (
        <p className="source-notes">
          <span className="panel-field-label">{F.notes.label}: </span>
          {source.notes}
        </p>
      )}
      {!source.excerpt && !source.notes && <p className="panel-empty">No excerpt or notes.</p>}
    </div>
  );
}
