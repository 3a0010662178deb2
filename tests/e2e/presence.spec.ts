/**
 * Presence on the axis (issue #12), in two browser contexts: B sees A's selection outlined in A's
 * colour with A's initials, A's pointer as a named line that goes when A leaves the axis, and
 * "Ana Lim is editing this event" in the panel; B follows A's view by clicking A's avatar until B
 * moves the axis.
 */
import type { Page } from '@playwright/test';
import { pickColorFor } from '../../lib/colors';
import { expect, itemBox, openTimeline, test } from './fixtures';

const SCREENS = 'test-results/screens';

// Two contexts, a follow with zooms and pans, and waits for vis's settled window: on a loaded
// machine this takes longer than the default minute.
test.describe.configure({ timeout: 150_000 });

/** The centre of the axis's item area, in page coordinates. */
async function centreOf(page: Page) {
  const box = (await page.locator('.vis-panel.vis-center').boundingBox())!;
  return { x: box.x + box.width / 2, y: box.y + box.height / 2, box };
}

/** The window the axis shows, as the page writes it on the timeline element. */
async function windowOf(page: Page) {
  const timeline = page.getByTestId('timeline');
  return {
    start: await timeline.getAttribute('data-window-start'),
    end: await timeline.getAttribute('data-window-end'),
  };
}

/** The time at a horizontal page coordinate on the axis, from the window the page shows. */
async function timeAt(page: Page, x: number): Promise<number> {
  const { box } = await centreOf(page);
  const { start, end } = await windowOf(page);
  const from = Date.parse(start!);
  return from + ((x - box.x) / box.width) * (Date.parse(end!) - from);
}

async function spanOf(page: Page): Promise<number> {
  const { start, end } = await windowOf(page);
  return Date.parse(end!) - Date.parse(start!);
}

/** Screenshot of the two pages side by side (for people to look at). */
async function screenshotBoth(a: Page, b: Page, name: string) {
  await a.screenshot({ path: `${SCREENS}/presence-${name}-a.png` });
  await b.screenshot({ path: `${SCREENS}/presence-${name}-b.png` });
}

test('B sees A’s selection, pointer and open panel; B follows A’s view until B moves', async ({
  openTwo,
  createTimeline,
}) => {
  const id = await createTimeline('Presence');
  const { a, b } = await openTwo(id);
  const anaColor = pickColorFor('Ana Lim');

  // A adds an event (its panel opens): the event is selected and edited by A.
  await a.getByRole('button', { name: '+ Add event' }).click();
  const row = a.locator('[data-testid=event-table] tr[data-event-id]');
  await expect(row).toHaveCount(1);
  const eventId = (await row.getAttribute('data-event-id'))!;
  await a.getByTestId('event-panel').getByLabel('Title').fill('Hanoi summit');

  // B sees A's selection: a ring in Ana's colour with her initials on the item.
  const outline = itemBox(b, eventId).locator('.cb-remote-selection');
  await expect(outline).toHaveAttribute('data-names', 'Ana Lim');
  await expect(outline.locator('.cb-remote-selection-badge')).toHaveText('AL');
  expect(await outline.evaluate((el) => getComputedStyle(el).boxShadow)).toContain(
    hexToRgb(anaColor),
  );
  // A's own selection keeps vis's style: no ring of her own.
  await expect(itemBox(a, eventId)).toHaveClass(/vis-selected/);
  await expect(itemBox(a, eventId).locator('.cb-remote-selection')).toHaveCount(0);

  // B opens the same event: the panel says Ana has it open.
  await itemBox(b, eventId).click();
  const notice = b.getByTestId('event-panel').getByTestId('editing-notice');
  await expect(notice).toHaveText('Ana Lim is editing this event');
  // …and A sees Ben on it too.
  await expect(a.getByTestId('editing-notice')).toHaveText('Ben Ode is editing this event');
  await expect(itemBox(a, eventId).locator('.cb-remote-selection-badge')).toHaveText('BO');

  // A's pointer on the axis: a line with her name at the same time on B's axis.
  const centreA = await centreOf(a);
  await a.mouse.move(centreA.x - 100, centreA.y);
  await a.mouse.move(centreA.x, centreA.y, { steps: 5 });
  const pointer = b.locator('.cb-remote-pointer[data-name="Ana Lim"]');
  await expect(pointer).toBeVisible();
  await expect(pointer).toHaveText('Ana Lim');
  // At the same time on B's axis as under A's pointer (the panels make the axes' widths differ).
  const timeUnderA = await timeAt(a, centreA.x);
  const span = await spanOf(b);
  await expect
    .poll(async () => Math.abs((await timeAt(b, (await pointer.boundingBox())!.x)) - timeUnderA))
    .toBeLessThan(span * 0.01);
  await screenshotBoth(a, b, 'selection-pointer');

  // A leaves the axis: the line goes.
  await a.mouse.move(5, 5);
  await expect(pointer).toHaveCount(0);

  // B follows A: clicking Ana's avatar shows the indicator, and A's zoom and pan move B's view.
  await b.keyboard.press('Escape');
  await b.getByRole('button', { name: "Follow Ana Lim's view" }).click();
  await expect(b.getByTestId('follow-indicator')).toHaveText(/Following Ana Lim/);
  await a.getByRole('button', { name: 'Zoom in' }).click();
  await a.getByRole('button', { name: 'Zoom in' }).click();
  await dragAxis(a, -200);
  await expect.poll(() => windowOf(b)).toEqual(await settledWindow(a));
  await screenshotBoth(a, b, 'following');

  // B pans: following stops, and A's next move no longer moves B.
  await dragAxis(b, 150);
  await expect(b.getByTestId('follow-indicator')).toHaveCount(0);
  const bAfterOwnPan = await settledWindow(b);
  await dragAxis(a, -200);
  const aMoved = await settledWindow(a);
  await b.waitForTimeout(500);
  expect(await windowOf(b)).toEqual(bAfterOwnPan);
  expect(aMoved).not.toEqual(bAfterOwnPan);

  // A leaves the timeline (closes the tab): her pointer line and selection ring go at B.
  await expect(b.locator('.cb-remote-pointer[data-name="Ana Lim"]')).toHaveCount(1);
  await a.close();
  await expect(b.locator('.cb-remote-pointer')).toHaveCount(0);
  await expect(b.locator('.cb-remote-selection')).toHaveCount(0);
  await expect(b.getByTestId('presence').locator('li')).toHaveCount(1);
});

test('a viewer’s selection and pointer show to an editor, sent at most 20 times a second; the viewer edits nothing', async ({
  contextAs,
  createTimeline,
}) => {
  const id = await createTimeline('Presence with a viewer');
  const ana = await (await contextAs('Ana Lim')).newPage();
  const vera = await (await contextAs('Vera Viewer')).newPage();
  // Awareness messages (type 1) reaching Ana, with the time they arrived.
  const awarenessAt: number[] = [];
  ana.on('websocket', (ws) => {
    ws.on('framereceived', ({ payload }) => {
      if (typeof payload !== 'string' && payload[0] === 1) awarenessAt.push(Date.now());
    });
  });
  await ana.goto(`/t/${id}`);
  await expect(ana.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');
  await ana.getByRole('button', { name: '+ Add event' }).click();
  const eventId = (await ana
    .locator('[data-testid=event-table] tr[data-event-id]')
    .getAttribute('data-event-id'))!;
  await ana.getByTestId('event-panel').getByRole('button', { name: 'Close panel' }).click();

  await vera.goto(`/t/${id}?view=timeline`);
  await expect(vera.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');
  await itemBox(vera, eventId).click();
  // Ana sees Vera's selection; Vera is marked as viewing, in the header and in the panel.
  await expect(itemBox(ana, eventId).locator('.cb-remote-selection-badge')).toHaveText('VV');
  await expect(ana.getByTestId('presence').locator('li[data-viewing=true]')).toHaveText(
    /Vera Viewer/,
  );
  await itemBox(ana, eventId).click();
  await expect(ana.getByTestId('editing-notice')).toHaveText('Vera Viewer is viewing this event');

  // A third analyst sees both on the event: two rings, two initials.
  const ben = await (await contextAs('Ben Ode')).newPage();
  await openTimeline(ben, id);
  const both = itemBox(ben, eventId).locator('.cb-remote-selection');
  await expect(both.locator('.cb-remote-selection-badge')).toHaveText(['AL', 'VV']);
  const rings = await both.evaluate((el) => getComputedStyle(el).boxShadow);
  expect(rings).toContain(hexToRgb(pickColorFor('Ana Lim')));
  expect(rings).toContain(hexToRgb(pickColorFor('Vera Viewer')));
  await ben.getByTestId('timeline').screenshot({ path: `${SCREENS}/presence-two-on-one.png` });
  await ben.close();

  // Both show the event's extent, so Vera's whole axis is on Ana's.
  await ana.getByRole('button', { name: 'Fit' }).click();
  // Vera's pointer sweeps the axis: 200 moves, one every 5 ms, dispatched in her page (driving
  // the mouse from here is far slower than 20 moves a second on a loaded machine).
  const { box } = await centreOf(vera);
  const y = box.y + box.height * 0.6;
  const xs = { from: box.x + 10, to: box.x + box.width - 10 };
  await vera.mouse.move(xs.from, y);
  await expect(ana.locator('.cb-remote-pointer[data-name="Vera Viewer"]')).toBeVisible();
  await ana.waitForTimeout(300);
  const from = Date.now();
  await vera.evaluate(
    async ({ xs, y }) => {
      const target = document.querySelector('.vis-panel.vis-center')!;
      for (let i = 0; i < 200; i++) {
        const clientX = xs.from + ((xs.to - xs.from) * i) / 199;
        target.dispatchEvent(
          new PointerEvent('pointermove', { bubbles: true, clientX, clientY: y }),
        );
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    { xs, y },
  );
  await ana.waitForTimeout(300);
  const elapsedMs = Date.now() - from;
  const received = awarenessAt.filter((at) => at >= from).length;
  console.log(`pointer sweep: 200 moves, ${received} awareness messages in ${elapsedMs} ms`);
  expect(received).toBeGreaterThanOrEqual(5);
  expect(received).toBeLessThanOrEqual(Math.ceil((elapsedMs / 1000) * 20) + 1);
  // The line ends at the time where Vera's pointer stopped.
  const line = ana.locator('.cb-remote-pointer[data-name="Vera Viewer"]');
  const stoppedAt = await timeAt(vera, xs.to);
  const span = await spanOf(ana);
  await expect
    .poll(async () => Math.abs((await timeAt(ana, (await line.boundingBox())!.x)) - stoppedAt))
    .toBeLessThan(span * 0.01);

  // Nothing Vera does edits: her panel is read-only.
  await expect(vera.getByTestId('event-panel').getByLabel('Title')).toBeDisabled();
});

test('a colleague’s pointer stays at its time on the axis when B’s side panel opens and closes', async ({
  openTwo,
  createTimeline,
}) => {
  const id = await createTimeline('Presence and the side panel');
  const { a, b } = await openTwo(id);
  await a.getByRole('button', { name: '+ Add event' }).click();
  const row = a.locator('[data-testid=event-table] tr[data-event-id]');
  await expect(row).toHaveCount(1);
  const eventId = (await row.getAttribute('data-event-id'))!;
  await a.getByTestId('event-panel').getByRole('button', { name: 'Close panel' }).click();
  await expect(itemBox(b, eventId)).toBeVisible();

  // A's pointer rests at the middle of her axis and does not move again.
  const centreA = await centreOf(a);
  await a.mouse.move(centreA.x - 100, centreA.y);
  await a.mouse.move(centreA.x, centreA.y, { steps: 5 });
  const timeUnderA = await timeAt(a, centreA.x);
  const pointer = b.locator('.cb-remote-pointer[data-name="Ana Lim"]');
  await expect(pointer).toBeVisible();
  const offBy = async () =>
    Math.abs((await timeAt(b, (await pointer.boundingBox())!.x)) - timeUnderA);
  const span = await spanOf(b);
  await expect.poll(offBy).toBeLessThan(span * 0.01);
  const wide = (await centreOf(b)).box.width;

  // B opens the event: the panel takes part of the page, the axis narrows, and A's line moves
  // with it to the same time (nothing new arrives from A to place it again).
  await itemBox(b, eventId).click();
  await expect(b.getByTestId('event-panel')).toBeVisible();
  await expect.poll(async () => (await centreOf(b)).box.width).toBeLessThan(wide - 100);
  await expect.poll(offBy).toBeLessThan(span * 0.01);
  await b.screenshot({ path: `${SCREENS}/presence-pointer-panel-open.png` });

  // B closes it: the axis is wide again, the line still at A's time.
  await b.getByTestId('event-panel').getByRole('button', { name: 'Close panel' }).click();
  await expect.poll(async () => (await centreOf(b)).box.width).toBeGreaterThan(wide - 5);
  await expect.poll(offBy).toBeLessThan(span * 0.01);
});

/** Drags the axis's empty area horizontally by `dx` pixels (a pan). */
async function dragAxis(page: Page, dx: number) {
  const { x, box } = await centreOf(page);
  // Below the event near the top, above the legend at the bottom.
  const y = box.y + box.height * 0.6;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + dx, y, { steps: 8 });
  await page.mouse.up();
}

/** The window once the page stopped moving (vis writes it 200 ms after the last change). */
async function settledWindow(page: Page) {
  let last = await windowOf(page);
  for (;;) {
    await page.waitForTimeout(400);
    const now = await windowOf(page);
    if (now.start === last.start && now.end === last.end) return now;
    last = now;
  }
}

function hexToRgb(hex: string): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
}
