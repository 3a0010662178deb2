/**
 * The automatic-snapshot policy against both databases, through the store: no snapshot of an
 * unchanged document (also after a room reload, and after a deletion-only change it is taken),
 * minimum spacing, thinning of old automatic snapshots (named and pre-restore kept), and the
 * store's keyset pagination. The REST side (pagination, 429) is in history.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as Y from 'yjs';
import { createId } from '../../lib/ids';
import { createEvent, deleteEvent, initializeTimeline } from '../../lib/timeline/model';
import { AutoSnapshots, thinAutoSnapshots } from '../../server/collab/extensions/autoSnapshots';
import { type Database, openDatabase } from '../../server/db/database';
import { createLogger } from '../../server/log';
import { createPrismaStore } from '../../server/store/prismaStore';
import type { SnapshotKind, SnapshotRecord, TimelineStore } from '../../server/store/types';
import { BACKENDS, type Backend, createBackend } from './helpers/backends';

const logger = createLogger('error');

for (const backendName of BACKENDS) {
  describe(`snapshot policy on ${backendName}`, () => {
    let backend: Backend;
    let database: Database;
    let store: TimelineStore;

    before(async () => {
      backend = await createBackend(backendName);
      database = await openDatabase(backend.storage);
      store = createPrismaStore(database);
    });

    after(async () => {
      await database?.close();
      await backend?.cleanup();
    });

    /** A stored timeline and a live document of it with one lane. */
    async function createDoc(title: string) {
      const id = `${title.toLowerCase()}-${createId(6)}`;
      const doc = new Y.Doc();
      const [lane] = initializeTimeline(doc, { title, lanes: [{ title: 'Lane' }] });
      await store.createTimeline({ id, title, eventCount: 0 }, Y.encodeStateAsUpdate(doc));
      return { id, doc, lane: lane! };
    }

    const kindsOf = async (id: string) => (await store.listSnapshots(id)).map((s) => s.kind);

    it('takes no automatic snapshot when the content equals the newest snapshot', async () => {
      const { id, doc, lane } = await createDoc('Unchanged');
      const options = { activitySnapshotMs: 60_000, minSpacingMs: 0 };
      const snapshots = new AutoSnapshots(store, id, doc, options, logger);
      const eventId = createEvent(doc, { title: 'A', kind: 'point', start: '2020-01-01', lane });
      snapshots.noteChange();
      assert.equal(await snapshots.snapshotIfChanged(), 'taken');

      // A change notification that changed nothing (e.g. a reconnect's sync) is not a version.
      snapshots.noteChange();
      assert.equal(await snapshots.snapshotIfChanged(), 'unchanged');

      // Nor after a reload: a new room compares with what is stored.
      const reloaded = new Y.Doc();
      Y.applyUpdate(reloaded, Y.encodeStateAsUpdate(doc));
      const again = new AutoSnapshots(store, id, reloaded, options, logger);
      again.noteChange();
      assert.equal(await again.snapshotIfChanged(), 'unchanged');

      // A deletion does not move the state vector, but it is a change.
      deleteEvent(doc, eventId);
      snapshots.noteChange();
      assert.equal(await snapshots.snapshotIfChanged(), 'taken');

      // A named snapshot of the current state counts as the newest version too.
      createEvent(doc, { title: 'B', kind: 'point', start: '2020-01-02', lane });
      await store.createSnapshot(
        {
          id: createId(),
          timelineId: id,
          kind: 'named',
          label: 'By hand',
          author: 'Ana',
          eventCount: 1,
        },
        Y.encodeStateAsUpdate(doc),
      );
      snapshots.noteChange();
      assert.equal(await snapshots.snapshotIfChanged(), 'unchanged');
      assert.deepEqual(await kindsOf(id), ['named', 'auto', 'auto']);
      snapshots.stop();
      again.stop();
    });

    it('keeps automatic snapshots at least the minimum spacing apart', async () => {
      const { id, doc, lane } = await createDoc('Spacing');
      const options = { activitySnapshotMs: 60_000, minSpacingMs: 60_000 };
      const snapshots = new AutoSnapshots(store, id, doc, options, logger);
      createEvent(doc, { title: 'A', kind: 'point', start: '2020-01-01', lane });
      snapshots.noteChange();
      assert.equal(await snapshots.snapshotIfChanged(), 'taken');
      createEvent(doc, { title: 'B', kind: 'point', start: '2020-01-02', lane });
      snapshots.noteChange();
      assert.equal(await snapshots.snapshotIfChanged(), 'too-soon');

      // The spacing is read from the store, so a reloaded room respects it as well.
      const reloaded = new AutoSnapshots(store, id, doc, options, logger);
      reloaded.noteChange();
      assert.equal(await reloaded.snapshotIfChanged(), 'too-soon');
      assert.deepEqual(await kindsOf(id), ['auto']);
      snapshots.stop();
      reloaded.stop();
    });

    it('thins old automatic snapshots to the newest of each UTC day, keeping the rest', async () => {
      const { id, doc } = await createDoc('Thinning');
      const now = new Date('2026-06-10T12:00:00Z');
      const state = Y.encodeStateAsUpdate(doc);
      const add = async (kind: SnapshotKind, createdAt: string) =>
        (
          await store.createSnapshot(
            {
              id: createId(),
              timelineId: id,
              kind,
              label: kind === 'auto' ? null : kind,
              author: null,
              eventCount: 0,
              createdAt: new Date(createdAt),
            },
            state,
          )
        ).id;
      const kept = [
        await add('auto', '2026-06-10T11:00:00Z'), // within 24 h
        await add('auto', '2026-06-09T13:00:00Z'), // within 24 h
        await add('auto', '2026-06-09T11:00:00Z'), // older: newest of 06-09
        await add('auto', '2026-06-07T20:00:00Z'), // newest of 06-07
        await add('named', '2026-06-07T01:00:00Z'), // named: always kept
        await add('pre-restore', '2026-06-07T02:00:00Z'), // pre-restore: always kept
        await add('auto', '2026-05-01T00:00:00Z'), // newest (only) of 05-01
      ];
      const thinned = [
        await add('auto', '2026-06-09T10:00:00Z'),
        await add('auto', '2026-06-07T10:00:00Z'),
        await add('auto', '2026-06-07T00:00:00Z'),
      ];
      assert.equal(await thinAutoSnapshots(store, id, now), thinned.length);
      const left = (await store.listSnapshots(id)).map((s) => s.id);
      assert.deepEqual(new Set(left), new Set(kept));
      // Running again deletes nothing more.
      assert.equal(await thinAutoSnapshots(store, id, now), 0);
    });

    it('pages through snapshots newest first without gaps or repeats', async () => {
      const { id, doc } = await createDoc('Pages');
      const state = Y.encodeStateAsUpdate(doc);
      // Two pairs share a timestamp: the id breaks the tie, in the database as in the cursor.
      const times = ['01', '02', '02', '03', '04', '04', '05'].map(
        (minute) => new Date(`2026-06-10T10:${minute}:00Z`),
      );
      for (const createdAt of times) {
        await store.createSnapshot(
          {
            id: createId(),
            timelineId: id,
            kind: 'auto',
            label: null,
            author: null,
            eventCount: 0,
            createdAt,
          },
          state,
        );
      }
      const all = await store.listSnapshots(id);
      const pages: SnapshotRecord[][] = [];
      let after: SnapshotRecord | undefined;
      for (;;) {
        const page = await store.listSnapshots(id, { limit: 3, after });
        if (page.length === 0) break;
        pages.push(page);
        after = page.at(-1);
      }
      assert.deepEqual(
        pages.map((page) => page.length),
        [3, 3, 1],
      );
      assert.deepEqual(
        pages.flat().map((s) => s.id),
        all.map((s) => s.id),
      );
      const sorted = [...all].sort(
        (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1),
      );
      assert.deepEqual(
        all.map((s) => s.id),
        sorted.map((s) => s.id),
      );
      assert.equal((await store.listSnapshots(id, { kind: 'named' })).length, 0);
    });
  });
}
