/**
 * Layout at desktop and phone sizes: at 390×844 the page never scrolls sideways (editor, viewer
 * and share-link view alike), the toolbar stays inside the screen, the timeline and the event list
 * scroll inside their own boxes, and side panels become a bottom sheet. Unknown URLs get a page
 * with a way back. Screenshots of each size go to test-results/screens/.
 */
import type { Page } from '@playwright/test';
import { expect, openTimeline, test } from './fixtures';

const PHONE = { width: 390, height: 844 };

/** The demo timeline's id: many lanes and long titles, the hardest case for a narrow screen. */
async function demoTimelineId(page: Page, token: string): Promise<string> {
  const response = await page.request.get('/api/timelines', {
    headers: { authorization: `Bearer ${token}` },
  });
  const { timelines } = (await response.json()) as { timelines: { id: string; title: string }[] };
  const demo = timelines.find((timeline) => timeline.title.startsWith('Border network outages'));
  expect(demo, 'the seeded demo timeline').toBeTruthy();
  return demo!.id;
}

/** Page width beyond the viewport (0 = no sideways scroll), and what sticks out, for the message. */
async function sidewaysOverflow(page: Page) {
  return page.evaluate(() => {
    const root = document.documentElement;
    const width = root.clientWidth;
    // Content inside a box that scrolls or clips on its own (timeline, table) does not count.
    const clipped = (element: Element) => {
      for (
        let node = element.parentElement;
        node && node !== document.body;
        node = node.parentElement
      ) {
        const overflow = getComputedStyle(node).overflowX;
        if (overflow !== 'visible') return true;
      }
      return false;
    };
    const outside = [...document.body.querySelectorAll('*')]
      .filter((element) => {
        const box = element.getBoundingClientRect();
        return box.width > 0 && box.right > width + 1 && !clipped(element);
      })
      .slice(0, 5)
      .map((element) => `${element.tagName.toLowerCase()}.${element.className}`);
    return { overflow: root.scrollWidth - width, outside };
  });
}

async function expectNoSidewaysScroll(page: Page) {
  const { overflow, outside } = await sidewaysOverflow(page);
  expect(outside, 'elements outside the screen').toEqual([]);
  expect(overflow, 'page wider than the screen').toBeLessThanOrEqual(0);
  // Scrolling sideways does nothing.
  await page.mouse.wheel(400, 0);
  expect(await page.evaluate(() => window.scrollX)).toBe(0);
}

test('a phone viewport has no horizontal page scroll in the editor; panels become a sheet', async ({
  page,
  auth,
}) => {
  const id = await demoTimelineId(page, auth.token);
  await page.setViewportSize(PHONE);
  await openTimeline(page, id);
  await expect(page.locator('.vis-item').first()).toBeVisible();
  await expectNoSidewaysScroll(page);

  // Every toolbar control is on screen, none cut off.
  const controls = page.getByRole('toolbar').locator('button, a, input');
  for (const control of await controls.all()) {
    const box = (await control.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
  }

  // The event list scrolls inside its own box.
  const table = page.getByTestId('event-table');
  const { scrollWidth, clientWidth } = await table.evaluate((el) => ({
    scrollWidth: el.scrollWidth,
    clientWidth: el.clientWidth,
  }));
  expect(clientWidth).toBeLessThanOrEqual(PHONE.width);
  expect(scrollWidth).toBeGreaterThanOrEqual(clientWidth);
  await page.screenshot({ path: 'test-results/screens/editor-390.png', fullPage: true });

  // Opening an event shows the panel as a bottom sheet across the screen.
  await table.locator('tbody tr').first().getByRole('button').click();
  const sheet = page.getByTestId('event-panel');
  await expect(sheet).toBeVisible();
  const box = (await sheet.boundingBox())!;
  expect(box.x).toBeLessThanOrEqual(1);
  expect(Math.round(box.x + box.width)).toBeGreaterThanOrEqual(PHONE.width - 1);
  expect(Math.round(box.y + box.height)).toBeLessThanOrEqual(PHONE.height + 1);
  expect(box.height).toBeLessThan(PHONE.height);
  await expectNoSidewaysScroll(page);
  await page.screenshot({ path: 'test-results/screens/editor-390-sheet.png' });

  // The lanes panel too.
  await page.getByRole('button', { name: 'Lanes' }).click();
  await expect(page.getByTestId('lanes-panel')).toBeVisible();
  await expectNoSidewaysScroll(page);
});

test('a phone viewport has no horizontal page scroll in the read-only views', async ({
  page,
  auth,
  contextAs,
  browser,
  baseURL,
}) => {
  const id = await demoTimelineId(page, auth.token);
  const viewer = await (await contextAs('Vera Viewer')).newPage();
  await viewer.setViewportSize(PHONE);
  await openTimeline(viewer, id, '?view=timeline');
  await expect(viewer.getByTestId('read-only')).toBeVisible();
  await expectNoSidewaysScroll(viewer);
  await viewer.screenshot({ path: 'test-results/screens/viewer-390.png', fullPage: true });

  const created = await page.request.post(`/api/timelines/${id}/links`, {
    data: { role: 'view', label: 'phone layout' },
    headers: { authorization: `Bearer ${auth.token}` },
  });
  expect(created.status()).toBe(201);
  const { token } = (await created.json()) as { token: string };
  const guest = await browser.newContext({ baseURL, viewport: PHONE });
  try {
    const guestPage = await guest.newPage();
    // A view link lands on the dashboard, the other read-only view.
    await guestPage.goto(`/t/${id}?token=${encodeURIComponent(token)}`);
    await expect(guestPage.getByTestId('dashboard')).toBeVisible();
    await expect(guestPage.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');
    await expect(guestPage.locator('.vis-item').first()).toBeVisible();
    await expectNoSidewaysScroll(guestPage);
  } finally {
    await guest.close();
  }
});

test('the editor at desktop sizes: screenshots for the README', async ({ page, auth }) => {
  const id = await demoTimelineId(page, auth.token);
  for (const size of [
    { width: 1440, height: 900 },
    { width: 1280, height: 800 },
  ]) {
    await page.setViewportSize(size);
    await openTimeline(page, id);
    await expect(page.locator('.vis-item').first()).toBeVisible();
    await expectNoSidewaysScroll(page);
    await page.screenshot({ path: `test-results/screens/editor-${size.width}.png` });
  }
});

test('an unknown URL gets a page in the app style with a way back', async ({ page }) => {
  const response = await page.goto('/no/such/page');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await page.setViewportSize(PHONE);
  await expectNoSidewaysScroll(page);
  await page.getByRole('link', { name: /Back to all timelines/ }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('timeline-list')).toBeVisible();
});
