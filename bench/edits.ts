/**
 * The edit workload: what one analyst does to a timeline, through the document model only.
 * Mostly typing into an event's description one character at a time, sometimes moving the event,
 * and a new event whenever the description is long enough.
 *
 * Every call to `next` changes the document, so it produces exactly one Yjs update and so one
 * websocket message: the benchmark relies on that to check that every edit sent was committed.
 */
import type * as Y from 'yjs';
import { createEvent, updateEvent } from '../lib/timeline/model';

export type EditKind = 'create' | 'type' | 'move';

const TEXT =
  'Mobile network outages reported near the border crossing; two independent sources confirm. ';
/** Long enough for typing to dominate, short enough that events keep being created. */
const DESCRIPTION_LENGTH = 80;
/** One edit in this many moves the event instead of typing. */
const MOVE_EVERY = 25;
const DAY_MS = 24 * 3600 * 1000;
const FIRST_DAY = Date.UTC(2019, 1, 1);

export class EditStream {
  private eventId: string | null = null;
  private description = '';
  private edits = 0;
  private moved = false;
  /** Events this stream created (each is a distinct event in the shared document). */
  created = 0;

  constructor(
    private readonly doc: Y.Doc,
    private readonly laneId: string,
    private readonly label: string,
  ) {}

  /** Makes one edit and says which kind it was. */
  next(): EditKind {
    this.edits++;
    if (this.eventId === null || this.description.length >= DESCRIPTION_LENGTH) {
      this.eventId = createEvent(this.doc, {
        title: `${this.label} event ${this.created + 1}`,
        start: day(this.created),
        kind: 'point',
        lane: this.laneId,
      });
      this.created++;
      this.description = '';
      this.moved = false;
      return 'create';
    }
    if (this.edits % MOVE_EVERY === 0) {
      // Alternates between two days so that every move really changes `start`.
      this.moved = !this.moved;
      updateEvent(this.doc, this.eventId, { start: day(this.created - 1 + (this.moved ? 1 : 0)) });
      return 'move';
    }
    this.description += TEXT[this.description.length % TEXT.length];
    updateEvent(this.doc, this.eventId, { description: this.description });
    return 'type';
  }
}

function day(index: number): string {
  return new Date(FIRST_DAY + index * DAY_MS).toISOString();
}
