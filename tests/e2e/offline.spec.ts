/**
 * "Never lose an edit", browser side: edits are kept in IndexedDB, so work done offline survives
 * a reload while still offline and reaches everyone when the connection returns; the header says
 * how many edits the server has not yet confirmed as saved; leaving with unsaved edits asks first.
 *
 * The proxy cuts only websocket traffic, so the page itself can be reloaded while "offline".
 */
import type { Page } from '@playwright/test';
import { expect, openTimeline, tableRow, test } from './fixtures';
import { startWebsocketProxy } from './websocketProxy';

/** Records every text the save state shows from now on (transient ones like "saving…" too). */
async function recordSaveStates(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const element = document.querySelector('[data-testid=save-state]')!;
    const seen: string[] = [];
    (window as unknown as { __saveStates: string[] }).__saveStates = seen;
    const record = () => {
      const text = element.textContent!.replace(/\s+/g, ' ').trim();
      if (seen.at(-1) !== text) seen.push(text);
    };
    new MutationObserver(record).observe(element, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
    });
  });
  return () => page.evaluate(() => (window as unknown as { __saveStates: string[] }).__saveStates);
}

/**
 * Uncaught errors and console errors of a page, except the browser's own reports of the refused
 * websocket connections (expected while the proxy cuts them).
 */
function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    if (/WebSocket connection to .* failed/.test(message.text())) return;
    errors.push(`console: ${message.text()}`);
  });
  return errors;
}

test('edits made offline survive a reload while offline, then are saved and reach the others', async ({
  contextAs,
  baseURL,
  createTimeline,
}) => {
  const id = await createTimeline('Offline work');
  const server = new URL(baseURL!);
  const proxy = await startWebsocketProxy({ host: server.hostname, port: Number(server.port) });
  const viaProxy = await contextAs('Ana Lim', `http://127.0.0.1:${proxy.port}`);
  const direct = await contextAs('Ben Ode');
  try {
    const a = await viaProxy.newPage();
    const b = await direct.newPage();
    const errors = collectErrors(a);
    await openTimeline(a, id);
    await openTimeline(b, id);
    const badge = a.getByTestId('connection-state');
    const save = a.getByTestId('save-state');
    await expect(save).toHaveText('Live · saved');
    await expect(save).toHaveAttribute('data-unsaved', '0');

    // Online, an edit is "saving…" until the server confirms it is in the database.
    const seen = await recordSaveStates(a);
    await a.getByRole('button', { name: '+ Add event' }).click();
    const row = a.locator('[data-testid=event-table] tr[data-event-id]');
    const eventId = (await row.getAttribute('data-event-id'))!;
    await expect(save).toHaveAttribute('data-unsaved', '0');
    await expect(save).toHaveText('Live · saved');
    expect(await seen()).toEqual(['Live · saving…', 'Live · saved']);
    await expect(tableRow(b, eventId)).toHaveCount(1);

    // Offline, edits are counted as not yet saved.
    proxy.cutWebsockets();
    await expect(badge).toHaveAttribute('data-state', 'offline');
    await expect(badge).toHaveText('Offline');
    await expect(save).toHaveText('Offline — all changes saved');
    await a.getByTestId('event-panel').getByLabel('Title').fill('Written offline');
    await expect(save).toHaveAttribute('data-save', 'unsaved');
    await expect(save).toHaveText(/^Offline — \d+ changes? not yet saved$/);
    const unsaved = Number(await save.getAttribute('data-unsaved'));
    expect(unsaved).toBeGreaterThanOrEqual(1);
    await expect(tableRow(b, eventId)).not.toContainText('Written offline');

    // A reload while still offline: the page loads, the edit is still there (from IndexedDB)
    // and still counted as unsaved.
    await a.reload();
    await expect(badge).toHaveAttribute('data-state', 'offline');
    await expect(tableRow(a, eventId)).toContainText('Written offline');
    await expect(save).toHaveAttribute('data-unsaved', String(unsaved));
    await expect(save).toHaveText(
      `Offline — ${unsaved} ${unsaved === 1 ? 'change' : 'changes'} not yet saved`,
    );
    expect(proxy.refused()).toBeGreaterThan(0);
    await a.screenshot({ path: 'test-results/screens/offline-unsaved.png' });

    // More work after the reload, still offline, adds to the count.
    await tableRow(a, eventId).getByRole('button', { name: 'Written offline' }).click();
    await a.getByTestId('event-panel').getByLabel('Title').fill('Written offline, then reloaded');
    await expect(save).toHaveAttribute('data-unsaved', String(unsaved + 1));
    await expect(tableRow(b, eventId)).not.toContainText('Written offline');

    // The connection returns: everything reaches B and the server confirms it is saved.
    proxy.restore();
    await expect(badge).toHaveAttribute('data-state', 'live', { timeout: 15_000 });
    await expect(save).toHaveAttribute('data-unsaved', '0');
    await expect(save).toHaveText('Live · saved');
    await expect(tableRow(b, eventId)).toContainText('Written offline, then reloaded');
    expect(await a.evaluate((key) => localStorage.getItem(key), `chronoboard:unsaved:${id}`)).toBe(
      null,
    );

    // A later reload starts live and saved, from the server and the browser copy alike.
    await a.reload();
    await expect(badge).toHaveAttribute('data-state', 'live');
    await expect(save).toHaveAttribute('data-unsaved', '0');
    await expect(tableRow(a, eventId)).toContainText('Written offline, then reloaded');
    expect(errors).toEqual([]);
  } finally {
    await viaProxy.close();
    await direct.close();
    await proxy.close();
  }
});

test('leaving the page with unsaved edits asks first; with everything saved it does not', async ({
  contextAs,
  baseURL,
  createTimeline,
}) => {
  const id = await createTimeline('Leaving');
  const server = new URL(baseURL!);
  const proxy = await startWebsocketProxy({ host: server.hostname, port: Number(server.port) });
  const context = await contextAs('Ana Lim', `http://127.0.0.1:${proxy.port}`);
  try {
    const a = await context.newPage();
    await openTimeline(a, id);
    const dialogs: string[] = [];
    a.on('dialog', (dialog) => {
      dialogs.push(dialog.type());
      void dialog.dismiss(); // "stay on this page"
    });

    proxy.cutWebsockets();
    await expect(a.getByTestId('connection-state')).toHaveAttribute('data-state', 'offline');
    await a.getByRole('button', { name: '+ Add event' }).click();
    const save = a.getByTestId('save-state');
    await expect(save).toHaveAttribute('data-unsaved', '1');

    await a.close({ runBeforeUnload: true });
    await expect.poll(() => dialogs).toEqual(['beforeunload']);
    expect(a.isClosed()).toBe(false);

    proxy.restore();
    await expect(save).toHaveAttribute('data-unsaved', '0', { timeout: 15_000 });
    await a.close({ runBeforeUnload: true });
    await expect.poll(() => a.isClosed()).toBe(true);
    expect(dialogs).toEqual(['beforeunload']);
  } finally {
    await context.close();
    await proxy.close();
  }
});
