/**
 * Briefing exports through the real server (PostgreSQL): every format over REST with its content
 * type and `<title>-<yyyy-mm-dd>.<ext>` name, a saved version exported as it was, a range that
 * narrows, bad parameters refused naming the parameter, and who may export (a viewer and a view
 * link may; a stranger may not; a link only for its own timeline).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import ICAL from 'ical.js';
import JSZip from 'jszip';
import type { CreatedSecret } from '../../lib/access';
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

describe('briefing exports on postgresql', () => {
  let backend: Backend;
  let server: ServerProcess;
  let client: TestClient;
  let timelineId: string;
  let otherId: string;
  let snapshotId: string;

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
    const { bytes } = await download(`format=json&${query}`);
    return (JSON.parse(new TextDecoder().decode(bytes)).events as { title: string }[])
      .map((e) => e.title)
      .sort();
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
    createEvent(client.doc, {
      title: 'Blackout <b>begins</b>',
      kind: 'point',
      start: '2019-03-07T16:50:00Z',
      lane,
      sources: [{ title: 'Operator statement', url: 'https://operator.example/1' }],
    });
    createEvent(client.doc, {
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
    createEvent(client.doc, { title: 'Repairs', kind: 'point', start: '2019-04-02', lane });
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

  it('refuses bad parameters with a 400 naming the parameter', async () => {
    for (const [query, message] of [
      ['format=xlsx', /^format: must be one of: pdf, docx, pptx/],
      ['format=pdf&from=2019-02-30', /^from: must be an ISO 8601 date/],
      ['format=pdf&from=2019-03-01&to=2019-01-01', /^to: must not be before from/],
      ['format=png&scale=4', /^scale: must be 1 or 2/],
      [`format=pdf&handling=${'x'.repeat(121)}`, /^handling: must be at most 120 characters/],
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
