/**
 * A live count of a document's readable events (what `countEvents` returns), kept current from
 * the document's changes: each change costs the events it touched, not a walk over every event.
 * The server writes the count with every log row, so on a 100,000-event timeline a recount per
 * edit would cost the room's event loop tens of milliseconds each time.
 */
import * as Y from 'yjs';
import { getEventsMap } from './doc';
import { isReadableEvent } from './event';

export class LiveEventCount {
  /** Ids of the events that are readable now (a map with a readable start). */
  private readonly readable = new Set<string>();
  private readonly events: ReturnType<typeof getEventsMap>;

  constructor(doc: Y.Doc) {
    this.events = getEventsMap(doc);
    this.events.forEach((_, id) => {
      this.recheck(id);
    });
    this.events.observeDeep(this.handleChanges);
  }

  get value(): number {
    return this.readable.size;
  }

  /** Stops following the document. */
  destroy(): void {
    this.events.unobserveDeep(this.handleChanges);
  }

  private recheck(id: string): void {
    if (isReadableEvent(this.events.get(id))) this.readable.add(id);
    else this.readable.delete(id);
  }

  private readonly handleChanges = (changes: Y.YEvent<Y.AbstractType<unknown>>[]): void => {
    for (const change of changes) {
      if (change.target === this.events) {
        // Events added, replaced or removed.
        for (const id of change.changes.keys.keys()) this.recheck(id);
      } else if (change.target.parent === this.events && change instanceof Y.YMapEvent) {
        // An event's own fields: only its start decides whether it is readable.
        if (change.keysChanged.has('start')) this.recheck(String(change.path[0]));
      }
    }
  };
}
