/**
 * The copy of a timeline's document kept in this browser's IndexedDB: edits made offline survive
 * a reload, and a reload shows the timeline before the server answers.
 *
 * The storage is y-indexeddb's, unchanged (database `chronoboard:<timelineId>`, its `updates`
 * store of Yjs updates and its `custom` store; every update of the document is added, and past
 * 500 the whole state replaces them), and so is the behaviour, with one difference: y-indexeddb
 * applies the stored updates in one transaction, a task of seconds for a 100,000-event timeline
 * during which the page is frozen. Here they are applied in slices (`streamSlices`), one task
 * each, at background priority, and counted as a sliced application (`slicedApply.ts`): the page
 * answers input meanwhile and shows the first part of a big timeline while the rest loads.
 */
import * as idb from 'lib0/indexeddb';
import * as Y from 'yjs';
import { streamSlices } from '@/lib/timeline/updateSlices';
import { applyServerSlice, beginSlicedApply, yieldToPage } from './slicedApply';

const UPDATES = 'updates';
/** Past this many stored updates, the whole state replaces them (y-indexeddb's PREFERRED_TRIM_SIZE). */
const TRIM_AT = 500;
/** How long after the last update the trim waits (ms). */
const TRIM_DELAY_MS = 1_000;
/** Size of one slice of a stored update (bytes), as for the server's answer. */
const SLICE_BYTES = 192 * 1024;

/** A task applying the stored copy yields to the page after this long (ms). */
const TASK_MS = 20;

/** Stores an update (lib0 types the value narrower than IndexedDB takes: bytes are stored). */
function addUpdate(store: IDBObjectStore, update: Uint8Array): Promise<number> {
  return idb.addAutoKey(store, update as unknown as ArrayBuffer);
}

export class LocalCopy {
  /** Resolves once the stored updates are read from the database, before they are applied. */
  readonly whenRead: Promise<void>;
  /** Resolves once the stored copy is applied to the document (or the copy is destroyed). */
  readonly whenSynced: Promise<void>;
  private db: IDBDatabase | null = null;
  private readonly opened: Promise<IDBDatabase>;
  /** Key from which stored updates have not been read into the document yet. */
  private dbref = 0;
  private dbsize = 0;
  private destroyed = false;
  private trimTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    readonly name: string,
    readonly doc: Y.Doc,
  ) {
    this.opened = idb.openDB(name, (db) =>
      idb.createStores(db, [[UPDATES, { autoIncrement: true }], ['custom']]),
    );
    let read!: () => void;
    this.whenRead = new Promise((resolve) => {
      read = resolve;
    });
    this.whenSynced = this.opened
      .then((db) => {
        this.db = db;
        return this.load(read);
      })
      .catch((error: unknown) => {
        // No copy in this browser (storage disabled, a broken database): the page works online.
        read();
        console.warn('The copy of this timeline kept in the browser is unavailable:', error);
      });
    doc.on('update', this.storeUpdate);
    doc.on('destroy', this.destroy);
  }

  /** Reads the stored updates (then calls `read`), then applies them in slices. */
  private async load(read: () => void): Promise<void> {
    const [store] = idb.transact(this.db!, [UPDATES]);
    const updates = await this.readSince(store);
    if (this.destroyed) return;
    // What the document held before the database opened was not stored by `storeUpdate`.
    await addUpdate(store, Y.encodeStateAsUpdate(this.doc));
    await this.recount(store);
    read();
    const total = updates.reduce((sum, update) => sum + update.byteLength, 0);
    const applying = beginSlicedApply(this.doc, total);
    try {
      let taskStart = performance.now();
      for (const update of updates) {
        for (const slice of streamSlices(update, SLICE_BYTES)) {
          if (this.destroyed) return;
          // The copy's own updates are not stored again (`storeUpdate` skips this origin).
          applyServerSlice(this.doc, slice, this);
          applying.applied(slice.byteLength);
          if (performance.now() - taskStart >= TASK_MS) {
            await yieldToPage();
            taskStart = performance.now();
          }
        }
      }
    } finally {
      applying.end();
    }
  }

  /** The updates stored since the last read (by this tab's loading or another tab). */
  private async readSince(store: IDBObjectStore): Promise<Uint8Array[]> {
    const range = idb.createIDBKeyRangeLowerBound(this.dbref, false);
    return (await idb.getAll(store, range)) as Uint8Array[];
  }

  /** Everything stored so far has been read: the next read starts after it. */
  private async recount(store: IDBObjectStore): Promise<void> {
    this.dbref = ((await idb.getLastKey(store)) as number) + 1;
    this.dbsize = await idb.count(store);
  }

  private readonly storeUpdate = (update: Uint8Array, origin: unknown): void => {
    if (!this.db || origin === this) return;
    const [store] = idb.transact(this.db, [UPDATES]);
    void addUpdate(store, update);
    if (++this.dbsize >= TRIM_AT) {
      if (this.trimTimer !== null) clearTimeout(this.trimTimer);
      this.trimTimer = setTimeout(() => {
        this.trimTimer = null;
        void this.trim();
      }, TRIM_DELAY_MS);
    }
  };

  /**
   * Reads what other tabs stored since, then replaces every stored update with the document's
   * whole state (y-indexeddb's `storeState`).
   */
  private async trim(): Promise<void> {
    if (!this.db || this.destroyed) return;
    const [store] = idb.transact(this.db, [UPDATES]);
    const updates = await this.readSince(store);
    if (this.destroyed) return;
    Y.transact(
      this.doc,
      () => {
        for (const update of updates) Y.applyUpdate(this.doc, update);
      },
      this,
      false,
    );
    await this.recount(store);
    if (this.dbsize < TRIM_AT) return;
    await addUpdate(store, Y.encodeStateAsUpdate(this.doc));
    await idb.del(store, idb.createIDBKeyRangeUpperBound(this.dbref, true));
    this.dbsize = await idb.count(store);
  }

  /** Stops storing; the database is closed (its content stays). */
  readonly destroy = (): Promise<void> => {
    if (this.trimTimer !== null) clearTimeout(this.trimTimer);
    this.doc.off('update', this.storeUpdate);
    this.doc.off('destroy', this.destroy);
    this.destroyed = true;
    return this.opened.then((db) => db.close());
  };
}
