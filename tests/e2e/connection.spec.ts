/**
 * Connection state as the user sees it, through a TCP proxy the test cuts: live → offline →
 * live, and an edit made while offline reaches the other analyst once the connection returns.
 */
import { startTcpProxy } from '../integration/helpers/tcpProxy';
import { expect, openTimeline, tableRow, test } from './fixtures';

test('shows offline when the connection drops, keeps edits made meanwhile, and syncs them when it returns', async ({
  contextAs,
  baseURL,
  createTimeline,
}) => {
  const id = await createTimeline('Flaky network');
  const server = new URL(baseURL!);
  const proxy = await startTcpProxy({ host: server.hostname, port: Number(server.port) });
  const viaProxy = await contextAs('Ana Lim', `http://127.0.0.1:${proxy.port}`);
  const direct = await contextAs('Ben Ode');
  try {
    const a = await viaProxy.newPage();
    const b = await direct.newPage();
    await openTimeline(a, id);
    await openTimeline(b, id);
    const badge = a.getByTestId('connection-state');
    await expect(badge).toHaveText('Live');

    proxy.cut();
    await expect(badge).toHaveAttribute('data-state', 'offline');
    await expect(badge).toHaveText('Offline');
    await expect(b.getByTestId('presence').locator('li')).toHaveCount(1);
    await a.screenshot({ path: 'test-results/screens/offline.png' });

    // Work done while offline is kept in the page…
    await a.getByRole('button', { name: '+ Add event' }).click();
    const row = a.locator('[data-testid=event-table] tr[data-event-id]');
    const eventId = (await row.getAttribute('data-event-id'))!;
    await a.getByTestId('event-panel').getByLabel('Title').fill('Written offline');
    await expect(tableRow(b, eventId)).toHaveCount(0);

    // …and reaches everyone when the connection returns.
    proxy.restore();
    await expect(badge).toHaveAttribute('data-state', 'live', { timeout: 15_000 });
    await expect(tableRow(b, eventId)).toContainText('Written offline');
  } finally {
    await viaProxy.close();
    await direct.close();
    await proxy.close();
  }
});

interface SocketRecord {
  url: string;
  /** Whether the editor's code had yet to run (its "Loading the timeline…" placeholder shown). */
  beforeEditor: boolean;
  sent: number[][];
}

test('a first visit asks for the document while the editor loads, on one socket, once', async ({
  contextAs,
  createTimeline,
}) => {
  const id = await createTimeline('Opened early');
  const context = await contextAs('Ana Lim');
  await context.addInitScript(() => {
    const records: SocketRecord[] = [];
    (window as unknown as { __sockets: SocketRecord[] }).__sockets = records;
    const Native = window.WebSocket;
    window.WebSocket = class extends Native {
      private readonly record: SocketRecord;
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        this.record = {
          url: String(url),
          beforeEditor: document.querySelector('p.loading.page') !== null,
          sent: [],
        };
        records.push(this.record);
      }
      send(data: Parameters<WebSocket['send']>[0]) {
        if (data instanceof Uint8Array && data.byteLength < 64) this.record.sent.push([...data]);
        super.send(data);
      }
    };
  });
  try {
    const a = await context.newPage();
    // The editor's scripts (loaded after the page's own) arrive late: the socket does not wait.
    await a.route('**/_next/static/chunks/**', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      await route.continue();
    });
    await openTimeline(a, id);
    await a.getByRole('button', { name: '+ Add event' }).click();
    await expect(a.getByTestId('save-state')).toHaveText('Live · saved');
    const sockets = await a.evaluate(
      () => (window as unknown as { __sockets: SocketRecord[] }).__sockets,
    );
    const collab = sockets.filter((socket) => socket.url.includes(`/collab/${id}`));
    expect(collab).toHaveLength(1);
    expect(collab[0]!.beforeEditor).toBe(true);
    // "Send me everything" went out once: the provider did not send its identical step 1 again.
    const stepOnes = collab[0]!.sent.filter((bytes) => bytes[0] === 0 && bytes[1] === 0);
    expect(stepOnes).toEqual([[0, 0, 1, 0]]);

    // A reload (the browser copy exists now) connects the usual way, after loading the copy.
    await a.evaluate(() => {
      (window as unknown as { __sockets: SocketRecord[] }).__sockets.length = 0;
    });
    await a.reload();
    await expect(a.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');
    const again = await a.evaluate(
      () => (window as unknown as { __sockets: SocketRecord[] }).__sockets,
    );
    const reloaded = again.filter((socket) => socket.url.includes(`/collab/${id}`));
    expect(reloaded).toHaveLength(1);
    expect(reloaded[0]!.beforeEditor).toBe(false);
    // Its step 1 names what the copy holds: not the empty document's.
    const reloadStepOnes = reloaded[0]!.sent.filter((bytes) => bytes[0] === 0 && bytes[1] === 0);
    expect(reloadStepOnes).toHaveLength(1);
    expect(reloadStepOnes[0]).not.toEqual([0, 0, 1, 0]);
  } finally {
    await context.close();
  }
});
