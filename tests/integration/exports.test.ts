/**
 * Briefing exports through the real server (PostgreSQL): every format over REST with its content
 * type and `<title>-<yyyy-mm-dd>.<ext>` name, a saved version exported as it was, a range that
 * narrows, the editor's filters narrowing every format (search reaching comment bodies), comments
 * printed in the briefings that carry them, bad parameters refused naming the parameter, and who
 * may export (a viewer and a view link may, comments included; a stranger may not; a link only
 * for its own timeline).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import ICAL from 'ical.js';
import JSZip from 'jszip';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { CreatedSecret } from '../../lib/access';
import type { CommentSummary } from '../../lib/comments';
import { createEvent, createLane } from '../../lib/timeline/model';
import type { SnapshotSummary } from '../../lib/timeline/schemas';
import { inviteMember } from './helpers/auth';
import { type Backend, createBackend } from './helpers/backends';
import {
  api,
  connectClient,
  createTimeline,
  type TestClient,
  waitFor,
  waitForSync,
} from './helpers/clients';
import { call, errorOf } from './helpers/http';
import { type ServerProcess, startServerProcess } from './helpers/serverProcess';

const TODAY = () => new Date().toISOString().slice(0, 10);

/** The text of every page of a PDF, as a reader extracts it. */
async function pdfText(bytes: Uint8Array): Promise<string> {
  const pdf = await getDocument({ data: bytes, useSystemFonts: false, isEvalSupported: false })
    .promise;
  let text = '';
  for (let number = 1; number <= pdf.numPages; number++) {
    const content = await (await pdf.getPage(number)).getTextContent();
    text += content.items.map((item) => ('str' in item ? `${item.str} ` : '')).join('');
  }
  await pdf.destroy();
  return text;
}

/** The text of every XML part of a .docx or .pptx matching `parts` (tags stripped). */
async function zipText(bytes: Uint8Array, parts: RegExp): Promise<string> {
  const zip = await JSZip.loadAsync(bytes);
  const names = Object.keys(zip.files).filter((name) => parts.test(name));
  const xml = await Promise.all(names.map((name) => zip.file(name)!.async('string')));
  return xml
    .join(' ')
    .replace(/<[^>]+>/g, ' ')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}

describe('briefing exports on postgresql', () => {
  let backend: Backend;
  let server: ServerProcess;
  let client: TestClient;
  let timelineId: string;
  let otherId: string;
  let snapshotId: string;
  let laneId: string;
  let otherLaneId: string;
  let rationingId: string;

  const download = async (
    query: string,
    credentials: { bearer?: string; cookie?: string } = {},
  ) => {
    const response = await fetch(`${server.url}/api/timelines/${timelineId}/export?${query}`, {
      headers: {
        ...(credentials.bearer ? { authorization: `Bearer ${credentials.bearer}` } : {}),
        ...(credentials.cookie ? { cookie: credentials.cookie } : {}),
        ...(credentials.bearer || credentials.cookie
          ? {}
          : { authorization: `Bearer ${server.admin!.token}` }),
      },
    });
    return { response, bytes: new Uint8Array(await response.arrayBuffer()) };
  };
  const jsonEvents = async (query: string) => {
    const { response, bytes } = await download(`format=json&${query}`);
    const text = new TextDecoder().decode(bytes);
    assert.equal(response.status, 200, `${query}: ${text.slice(0, 300)}`);
    return (JSON.parse(text).events as { title: string }[]).map((e) => e.title).sort();
  };

  before(async () => {
    backend = await createBackend('postgresql');
    server = await startServerProcess({
      ...backend.storage,
      env: { AUTO_SNAPSHOT_MS: '600000', SEED_DEMO: 'false' },
    });
    timelineId = (await createTimeline(server.url, 'Grid failures 2019')).id;
    otherId = (await createTimeline(server.url, 'Other')).id;
    client = connectClient(server.wsUrl, timelineId);
    await waitForSync(client);
    const lane = createLane(client.doc, { title: 'Infrastructure', color: '#3b82f6' });
    laneId = lane;
    otherLaneId = createLane(client.doc, { title: 'Politics', color: '#ef4444' });
    createEvent(client.doc, {
      title: 'Blackout <b>begins</b>',
      kind: 'point',
      start: '2019-03-07T16:50:00Z',
      lane,
      sources: [{ title: 'Operator statement', url: 'https://operator.example/1' }],
    });
    rationingId = createEvent(client.doc, {
      title: 'Rationing',
      kind: 'range',
      start: '2019-03-10',
      end: '2019-03-20',
      lane,
    });
    await waitFor(async () => (await jsonEvents('')).length === 2, 'two events in the export');
    const saved = await api<SnapshotSummary>(server.url, `/api/timelines/${timelineId}/snapshots`, {
      method: 'POST',
      body: JSON.stringify({ label: 'Before the repairs' }),
    });
    snapshotId = saved.body.id;
    createEvent(client.doc, {
      title: 'Repairs',
      kind: 'point',
      start: '2019-04-02',
      lane: otherLaneId,
      tags: ['grid'],
      confidence: 'high',
    });
    await waitFor(async () => (await jsonEvents('')).length === 3, 'three events in the export');
  });

  after(async () => {
    client?.destroy();
    await server?.stop();
    await backend?.cleanup();
  });

  it('renders every format with its content type and file name', async () => {
    const expected: Record<string, [string, string, (bytes: Uint8Array) => Promise<void> | void]> =
      {
        pdf: [
          'application/pdf',
          'pdf',
          (b) => assert.equal(new TextDecoder().decode(b.slice(0, 5)), '%PDF-'),
        ],
        docx: [
          'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
          'docx',
          async (b) => {
            assert.match(
              await (await JSZip.loadAsync(b)).file('word/document.xml')!.async('string'),
              /Repairs/,
            );
          },
        ],
        pptx: [
          'application/vnd.openxmlformats-officedocument.presentationml.presentation',
          'pptx',
          async (b) => {
            assert.ok((await JSZip.loadAsync(b)).file('ppt/slides/slide3.xml'));
          },
        ],
        png: ['image/png', 'png', (b) => assert.deepEqual([...b.slice(1, 4)], [0x50, 0x4e, 0x47])],
        svg: [
          'image/svg+xml; charset=utf-8',
          'svg',
          (b) => {
            const svg = new TextDecoder().decode(b);
            assert.ok(svg.startsWith('<svg') && svg.includes('Blackout &lt;b&gt;begins&lt;/b&gt;'));
          },
        ],
        csv: [
          'text/csv; charset=utf-8',
          'csv',
          (b) => assert.match(new TextDecoder().decode(b), /^id,title,start/),
        ],
        json: [
          'application/json; charset=utf-8',
          'json',
          (b) => assert.equal(JSON.parse(new TextDecoder().decode(b)).events.length, 3),
        ],
        timelinejs: [
          'application/json; charset=utf-8',
          'json',
          (b) => {
            const doc = JSON.parse(new TextDecoder().decode(b));
            assert.equal(doc.events.length, 3);
            assert.equal(doc.events[0].group, 'Infrastructure');
          },
        ],
        ics: [
          'text/calendar; charset=utf-8',
          'ics',
          (b) => {
            const calendar = new ICAL.Component(ICAL.parse(new TextDecoder().decode(b)));
            assert.equal(calendar.getAllSubcomponents('vevent').length, 3);
          },
        ],
      };
    for (const [format, [type, extension, check]] of Object.entries(expected)) {
      const { response, bytes } = await download(`format=${format}`);
      assert.equal(
        response.status,
        200,
        `${format}: ${new TextDecoder().decode(bytes).slice(0, 200)}`,
      );
      assert.equal(response.headers.get('content-type'), type, format);
      assert.match(
        response.headers.get('content-disposition')!,
        new RegExp(`filename="Grid-failures-2019-${TODAY()}\\.${extension}"`),
        format,
      );
      await check(bytes);
    }
  });

  it('exports a saved version as it was, and narrows to a range', async () => {
    assert.deepEqual(await jsonEvents(`snapshot=${snapshotId}`), [
      'Blackout <b>begins</b>',
      'Rationing',
    ]);
    const { bytes } = await download(`format=csv&snapshot=${snapshotId}`);
    assert.doesNotMatch(new TextDecoder().decode(bytes), /Repairs/);
    assert.deepEqual(await jsonEvents('from=2019-03-15&to=2019-04-30'), ['Rationing', 'Repairs']);
    const { response } = await download('format=pdf&snapshot=nope');
    assert.equal(response.status, 404);
  });

  it("narrows every format to the editor's filters, searching comment bodies too", async () => {
    // Only a comment says "convoy": the editor's search finds Rationing by it, so must the export.
    const comment = await call<CommentSummary>(
      server,
      'POST',
      `/api/timelines/${timelineId}/comments`,
      {
        bearer: server.admin!.token,
        body: { eventId: rationingId, body: 'The fuel convoy is late' },
      },
    );
    assert.equal(comment.status, 201);
    assert.deepEqual(await jsonEvents('q=convoy'), ['Rationing']);

    const titles = ['Blackout <b>begins</b>', 'Rationing', 'Repairs'];
    const readTitles: Record<string, (bytes: Uint8Array) => Promise<string> | string> = {
      pdf: pdfText,
      docx: (b) => zipText(b, /^word\/document\.xml$/),
      pptx: (b) => zipText(b, /^ppt\/slides\/slide\d+\.xml$/),
      svg: (b) => new TextDecoder().decode(b).replaceAll('&lt;', '<').replaceAll('&gt;', '>'),
      csv: (b) => new TextDecoder().decode(b),
      json: (b) => new TextDecoder().decode(b),
      timelinejs: (b) => new TextDecoder().decode(b),
      ics: (b) =>
        new ICAL.Component(ICAL.parse(new TextDecoder().decode(b)))
          .getAllSubcomponents('vevent')
          .map((event) => event.getFirstPropertyValue('summary'))
          .join('\n'),
    };
    for (const [format, read] of Object.entries(readTitles)) {
      const { response, bytes } = await download(`format=${format}&q=convoy`);
      assert.equal(response.status, 200, format);
      const text = await read(bytes);
      assert.ok(text.includes('Rationing'), `${format} holds the matching event`);
      for (const other of titles.filter((title) => title !== 'Rationing')) {
        assert.ok(!text.includes(other), `${format} leaves out ${other}`);
      }
    }
    // A PNG is the SVG rasterised: the filtered picture is a different, smaller one.
    const png = await download('format=png&q=convoy');
    const wholePng = await download('format=png');
    assert.equal(png.response.status, 200);
    assert.notDeepEqual(png.bytes, wholePng.bytes);

    // The activity log is written a moment after an edit: wait until it has the three events.
    await waitFor(
      async () => (await jsonEvents(`changed=${TODAY()}`)).length === 3,
      'the three events in the activity log',
    );
    // The other filters of the editor's URL, alone and together (any of a repeated one).
    for (const [query, expected] of [
      [`lane=${otherLaneId}`, ['Repairs']],
      [`lane=${laneId}&lane=${otherLaneId}`, titles],
      ['tag=GRID', ['Repairs']],
      ['confidence=high', ['Repairs']],
      ['confidence=none', ['Blackout <b>begins</b>', 'Rationing']],
      ['kind=range', ['Rationing']],
      ['minSources=1', ['Blackout <b>begins</b>']],
      ['single=1', ['Blackout <b>begins</b>']],
      [`changed=${TODAY()}`, titles],
      ['changed=2999-01-01', []],
      ['q=-convoy', []],
      ['q=rationing -convoy', []],
      ['q=blackout&dim=1', ['Blackout <b>begins</b>']],
      [`from=2019-03-07&to=2019-03-09&kind=point`, ['Blackout <b>begins</b>']],
      // A day in `to` covers the whole UTC day, as in the editor (Repairs is at 00:00 on 2 April).
      ['to=2019-04-02', titles],
      ['from=2019-03-08&to=2019-04-01', ['Rationing']],
    ] as const) {
      assert.deepEqual(await jsonEvents(query), [...expected].sort(), query);
    }
    // A saved version is narrowed the same way.
    assert.deepEqual(await jsonEvents(`snapshot=${snapshotId}&kind=point`), [
      'Blackout <b>begins</b>',
    ]);
  });

  it('prints comments under their events in PDF, Word, PowerPoint notes and JSON when asked', async () => {
    const viewer = await inviteMember(server.url, server.admin!.token, {
      email: 'commenter@chronoboard.test',
      name: 'Carl Commenter',
      role: 'viewer',
    });
    const root = await call<CommentSummary>(
      server,
      'POST',
      `/api/timelines/${timelineId}/comments`,
      {
        bearer: server.admin!.token,
        body: { eventId: rationingId, body: 'Is the <i>ministry</i> figure sourced?' },
      },
    );
    assert.equal(root.status, 201);
    const reply = await call<CommentSummary>(
      server,
      'POST',
      `/api/timelines/${timelineId}/comments`,
      { cookie: viewer, body: { parentId: root.body.id, body: 'Yes: the gazette of 9 March' } },
    );
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    const resolved = await call(
      server,
      'PATCH',
      `/api/timelines/${timelineId}/comments/${root.body.id}`,
      { bearer: server.admin!.token, body: { resolved: true } },
    );
    assert.equal(resolved.status, 200);

    const expectComments = (text: string, format: string) => {
      assert.match(text, /Comment by Test Admin, \d+ \w+ \d{4} \d\d:\d\d UTC/, format);
      assert.ok(text.includes('Is the <i>ministry</i> figure sourced?'), format);
      assert.ok(text.includes('Reply by Carl Commenter'), format);
      assert.ok(text.includes('Yes: the gazette of 9 March'), format);
      assert.match(text, /Resolved by Test Admin on/, format);
    };
    const readers: Record<string, (bytes: Uint8Array) => Promise<string>> = {
      pdf: pdfText,
      docx: (b) => zipText(b, /^word\/document\.xml$/),
      pptx: (b) => zipText(b, /^ppt\/notesSlides\/notesSlide\d+\.xml$/),
    };
    for (const [format, read] of Object.entries(readers)) {
      // A viewer's export carries them: a viewer may read comments.
      const withComments = await download(`format=${format}&comments=true`, { cookie: viewer });
      assert.equal(withComments.response.status, 200, format);
      // pdf.js splits lines where the table cell wraps them: compare with the spaces folded.
      expectComments((await read(withComments.bytes)).replace(/\s+/g, ' '), format);
      const without = await download(`format=${format}`);
      assert.ok(!(await read(without.bytes)).includes('gazette'), `${format} without comments`);
    }
    const json = JSON.parse(
      new TextDecoder().decode((await download('format=json&comments=true&kind=range')).bytes),
    ) as { comments: CommentSummary[] };
    assert.deepEqual(
      json.comments.map((c) => [c.body, c.author.name, c.resolvedAt !== null]),
      [
        ['The fuel convoy is late', 'Test Admin', false],
        ['Is the <i>ministry</i> figure sourced?', 'Test Admin', true],
        ['Yes: the gazette of 9 March', 'Carl Commenter', false],
      ],
    );
    // A filter that leaves the event out leaves its comments out too.
    const pointsOnly = JSON.parse(
      new TextDecoder().decode((await download('format=json&comments=true&kind=point')).bytes),
    ) as { comments: CommentSummary[] };
    assert.deepEqual(pointsOnly.comments, []);
    // Formats with no place for a discussion ignore the option.
    const csv = await download('format=csv&comments=true');
    assert.equal(csv.response.status, 200);
    assert.ok(!new TextDecoder().decode(csv.bytes).includes('gazette'));
  });

  it('refuses bad parameters with a 400 naming the parameter', async () => {
    for (const [query, message] of [
      ['format=xlsx', /^format: must be one of: pdf, docx, pptx/],
      ['format=pdf&from=2019-02-30', /^from: must be an ISO 8601 date/],
      ['format=pdf&from=2019-03-01&to=2019-01-01', /^to: must not be before from/],
      ['format=png&scale=4', /^scale: must be 1 or 2/],
      [`format=pdf&handling=${'x'.repeat(121)}`, /^handling: must be at most 120 characters/],
      ['format=csv&to=2019-02-30', /^to: must be an ISO 8601 date/],
      ['format=csv&lane=not%20a%20lane', /^lane=not a lane: not a lane/],
      ['format=csv&confidence=sure', /^confidence=sure: use high, moderate, low or none/],
      ['format=csv&kind=era', /^kind=era: use point, range or background/],
      ['format=csv&minSources=0', /^minSources=0: use a whole number from 1 to 99/],
      ['format=csv&single=yes', /^single=yes: use 1/],
      ['format=csv&changed=2019-02-30', /^changed=2019-02-30: use a date such as/],
      [`format=csv&q=${'x'.repeat(501)}`, /^q longer than 500 characters/],
    ] as const) {
      const reply = await call(server, 'GET', `/api/timelines/${timelineId}/export?${query}`, {
        bearer: server.admin!.token,
      });
      assert.equal(reply.status, 400, query);
      assert.match(errorOf(reply), message, query);
    }
  });

  it('lets a viewer and a view link export, not a stranger nor a link of another timeline', async () => {
    const viewer = await inviteMember(server.url, server.admin!.token, {
      email: 'viewer@chronoboard.test',
      name: 'Vera Viewer',
      role: 'viewer',
    });
    const asViewer = await download('format=pdf', { cookie: viewer });
    assert.equal(asViewer.response.status, 200);

    const stranger = await fetch(`${server.url}/api/timelines/${timelineId}/export?format=pdf`);
    assert.equal(stranger.status, 401);

    const link = await call<CreatedSecret>(server, 'POST', `/api/timelines/${timelineId}/links`, {
      bearer: server.admin!.token,
      body: { role: 'view' },
    });
    assert.equal(link.status, 201);
    const viaLink = await download('format=csv', { bearer: link.body.token });
    assert.equal(viaLink.response.status, 200);
    const elsewhere = await call(server, 'GET', `/api/timelines/${otherId}/export?format=csv`, {
      bearer: link.body.token,
    });
    assert.equal(elsewhere.status, 403);
  });
});
