import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as Y from 'yjs';
import { applyImportPlan, countImportPlan } from '../../lib/import/apply';
import { parseCsv } from '../../lib/import/csv';
import { CSV_COLUMN_NAMES, formatCsvRecord } from '../../lib/import/csvColumns';
import { detectImportFormat, parseImport } from '../../lib/import/index';
import { writeDemoTimeline } from '../../lib/seed/demoTimeline';
import {
  createLane,
  getMetaMap,
  initializeTimeline,
  readEvents,
  readLanes,
  readTimeline,
} from '../../lib/timeline/model';
import { buildBriefing } from '../../server/export/briefing';
import { jsonFormat } from '../../server/export/json';
import type { ExportInput } from '../../server/export/types';

/** The demo timeline as our JSON export writes it. */
function exportDemo(): { doc: Y.Doc; text: string } {
  const doc = new Y.Doc();
  writeDemoTimeline(doc);
  const { meta, lanes, events } = readTimeline(doc);
  const timeline = {
    id: 't1',
    title: meta.title,
    eventCount: events.length,
    createdAt: '',
    updatedAt: '',
  };
  const content = { timeline, lanes, events };
  const bytes = jsonFormat.render({
    content,
    briefing: buildBriefing(content),
    options: {} as ExportInput['options'],
  }) as Uint8Array;
  return { doc, text: new TextDecoder().decode(bytes) };
}

function emptyTimeline(): Y.Doc {
  const doc = new Y.Doc();
  initializeTimeline(doc, { title: 'Target' });
  return doc;
}

/** Events with lane ids replaced by lane titles, so two documents compare. */
function comparable(doc: Y.Doc) {
  const titles = new Map(readLanes(doc).map((lane) => [lane.id, lane.title]));
  return readEvents(doc).map((event) => ({ ...event, lane: titles.get(event.lane) }));
}

describe('JSON import (our own export)', () => {
  it('round-trips the demo timeline: same events, ids, lanes, colours, sources, links', () => {
    const { doc: original, text } = exportDemo();
    const plan = parseImport('json', text);
    assert.deepEqual(plan.errors, []);
    const target = emptyTimeline();
    const counts = applyImportPlan(target, plan);
    assert.deepEqual(counts, {
      events: readEvents(original).length,
      lanes: readLanes(original).length,
    });
    assert.deepEqual(
      readLanes(target).map(({ title, color }) => ({ title, color })),
      readLanes(original).map(({ title, color }) => ({ title, color })),
    );
    assert.deepEqual(comparable(target), comparable(original));
    assert.ok(
      readEvents(target).some((event) => (event.links ?? []).length > 0),
      'the demo has links',
    );
  });

  it('gives new ids when the ids are taken and links follow them; lanes match by name', () => {
    const { text } = exportDemo();
    const target = emptyTimeline();
    applyImportPlan(target, parseImport('json', text));
    const first = new Set(readEvents(target).map((event) => event.id));
    const before = first.size;
    const plan = parseImport('json', text);
    assert.deepEqual(countImportPlan(target, plan), { events: before, lanes: 0 });
    applyImportPlan(target, plan);
    const events = readEvents(target);
    assert.equal(events.length, before * 2);
    const ids = new Set(events.map((event) => event.id));
    assert.equal(ids.size, events.length);
    // Every link of a copy points at a copy (a new id), never back at the first import.
    const copies = events.filter((event) => !first.has(event.id));
    assert.equal(copies.length, before);
    const copyLinks = copies.flatMap((event) => event.links ?? []);
    assert.ok(copyLinks.length > 0);
    for (const link of copyLinks) assert.ok(!first.has(link.eventId), `${link.eventId} is a copy`);
    assert.equal(
      readLanes(target).length,
      new Set(readLanes(target).map((lane) => lane.title)).size,
    );
  });

  it('names the row and field of a damaged event and refuses a file that is not an export', () => {
    const { text } = exportDemo();
    const data = JSON.parse(text);
    data.events[1].start = 'yesterday';
    data.events[2].lane = 'nowhere';
    const plan = parseImport('json', JSON.stringify(data));
    assert.deepEqual(
      plan.errors.map((error) => [error.row, error.field]),
      [
        [2, 'start'],
        [3, 'lane'],
      ],
    );
    assert.equal(parseImport('json', '{"events":[]}').errors[0]!.field, 'lanes');
  });
});

describe('applyImportPlan', () => {
  it('is one transaction: observers see one change with every event and lane', () => {
    const target = emptyTimeline();
    let transactions = 0;
    target.on('afterTransaction', () => transactions++);
    applyImportPlan(
      target,
      parseImport('csv', 'title,start,lane\nA,2019-01-01,Ops\nB,2019-01-02,\n'),
    );
    assert.equal(transactions, 1);
    assert.deepEqual(
      readLanes(target).map((lane) => lane.title),
      ['Events', 'Ops'],
    );
  });

  it('puts events without a lane into the timeline’s first lane and matches lanes ignoring case', () => {
    const doc = emptyTimeline();
    const ground = createLane(doc, { title: 'Ground' });
    createLane(doc, { title: 'Air' });
    const plan = parseImport(
      'csv',
      'title,start,lane\nA,2019-01-01,\nB,2019-01-02,AIR\nC,2019-01-03,Sea\n',
    );
    assert.deepEqual(countImportPlan(doc, plan), { events: 3, lanes: 1 });
    applyImportPlan(doc, plan);
    const lanes = new Map(readLanes(doc).map((lane) => [lane.id, lane.title]));
    assert.deepEqual(
      readEvents(doc).map((event) => [event.title, lanes.get(event.lane)]),
      [
        ['A', 'Ground'],
        ['B', 'Air'],
        ['C', 'Sea'],
      ],
    );
    assert.ok(lanes.has(ground));
  });

  it('sets the timeline description from a title slide only when there is none', () => {
    const doc = emptyTimeline();
    const file = JSON.stringify({ title: { text: { headline: 'Story' } }, events: [] });
    applyImportPlan(doc, parseImport('timelinejs', file));
    assert.equal(getMetaMap(doc).get('description'), 'Story');
    applyImportPlan(doc, parseImport('timelinejs', file.replace('Story', 'Other')));
    assert.equal(getMetaMap(doc).get('description'), 'Story');
  });
});

describe('CSV columns shared with the export', () => {
  it('round-trips the demo timeline through formatCsvRecord and the CSV import', () => {
    const { doc: original } = exportDemo();
    const titles = new Map(readLanes(original).map((lane) => [lane.id, lane.title]));
    const quote = (cell: string) => `"${cell.replace(/"/g, '""')}"`;
    const lines = [CSV_COLUMN_NAMES.join(',')];
    for (const event of readEvents(original)) {
      const record = formatCsvRecord(event, titles.get(event.lane)!);
      lines.push(CSV_COLUMN_NAMES.map((name) => quote(record[name])).join(','));
    }
    const plan = parseCsv(lines.join('\r\n'));
    assert.deepEqual(plan.errors, []);
    const target = emptyTimeline();
    for (const lane of readLanes(original))
      createLane(target, { title: lane.title, color: lane.color });
    applyImportPlan(target, plan);
    const strip = (doc: Y.Doc) =>
      comparable(doc).map((event) => ({
        ...event,
        sources: event.sources.map(({ id: _id, ...s }) => s),
      }));
    assert.deepEqual(strip(target), strip(original));
  });
});

describe('detectImportFormat', () => {
  it('tells formats apart by name, then content', () => {
    assert.equal(detectImportFormat('a.csv', '{}'), 'csv');
    assert.equal(detectImportFormat('export.json', '{"lanes":[],"events":[]}'), 'json');
    assert.equal(detectImportFormat('story.json', '{"events":[]}'), 'timelinejs');
    assert.equal(detectImportFormat('paste', 'title,start\n'), 'csv');
    assert.equal(detectImportFormat('paste', 'hello'), undefined);
  });
});
