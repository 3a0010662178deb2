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
