/**
 * The axis an analyst trusts (issue #10): a remote change never moves anyone's view, every label
 * can be read, points sit in their own lane, and navigation (opening range, Go to date, Fit, Esc,
 * the sortable table) works; the same person in two tabs is one avatar.
 */
import type { Page } from '@playwright/test';
import { expect, itemBox, openTimeline, tableRow, test } from './fixtures';

const DAY = 24 * 3600 * 1000;

/** The axis's visible window as the page records it on the timeline element. */
async function readWindow(page: Page): Promise<{ start: number; end: number }> {
  const element = page.getByTestId('timeline');
  await expect(element).toHaveAttribute('data-window-start', /Z$/);
  // vis reports a settled window 200 ms after a change.
  await page.waitForTimeout(300);
  const start = Date.parse((await element.getAttribute('data-window-start'))!);
  const end = Date.parse((await element.getAttribute('data-window-end'))!);
  return { start, end };
}

/** Adds an event with the toolbar button and returns its id (its side panel is then open). */
async function addEvent(page: Page): Promise<string> {
  const before = await page.locator('[data-testid=event-table] tr[data-event-id]').count();
  await page.getByRole('button', { name: '+ Add event' }).click();
  const rows = page.locator('[data-testid=event-table] tr[data-event-id]');
  await expect(rows).toHaveCount(before + 1);
  await expect(page.getByTestId('event-panel')).toBeVisible();
  return (await page
    .locator('[data-testid=event-table] tr[aria-selected=true]')
    .getAttribute('data-event-id'))!;
}

test('a remote move of the event I have selected leaves my view exactly where it was', async ({
  openTwo,
  createTimeline,
}) => {
  const id = await createTimeline('Steady axis');
  const { a, b } = await openTwo(id);
  const eventId = await addEvent(a);
  await a.getByTestId('event-panel').getByLabel('Title').fill('Ferry sails');
  await expect(itemBox(a, eventId)).toBeVisible();
  const before = await readWindow(a);

  // Ben opens the same event from his table and gives it a date months away.
  await tableRow(b, eventId).click();
  await b.getByTestId('event-panel').getByLabel('Start date').fill('2031-06-15');
  await b.getByTestId('event-panel').getByLabel('Start date').press('Enter');
  await expect(tableRow(a, eventId).locator('[data-field=start]')).toHaveText('2031-06-15');

  // Ana still has it selected, and her axis neither moved nor zoomed.
  await expect(tableRow(a, eventId)).toHaveAttribute('aria-selected', 'true');
  await a.waitForTimeout(600);
  expect(await readWindow(a)).toEqual(before);
  await expect(itemBox(a, eventId)).toHaveCount(0);

  // When Ana picks it in the table herself, the axis goes to it at the same zoom.
  await tableRow(a, eventId).click();
  await expect(itemBox(a, eventId)).toBeVisible();
  const after = await readWindow(a);
  expect(after.end - after.start).toBeCloseTo(before.end - before.start, -3);
  expect(after.start).toBeLessThan(Date.parse('2031-06-15T00:00:00Z'));
  expect(after.end).toBeGreaterThan(Date.parse('2031-06-15T00:00:00Z'));
});

test('labels of narrow ranges and background bands can be read; points sit in their own lane', async ({
  page,
  createTimeline,
}) => {
  const id = await createTimeline('Readable labels');
  await openTimeline(page, id);
  await page.getByLabel('New lane name').fill('Elections');
  await page.getByRole('button', { name: 'Add lane' }).click();
  await expect(page.locator('.vis-labelset .vis-label')).toHaveCount(2);
  const panel = page.getByTestId('event-panel');

  // A one-day range with a long title: far too narrow for its label at this zoom.
  const title = 'Phones cut off near the border (Kimjongsuk and Pochon counties)';
  const range = await addEvent(page);
  await panel.getByLabel('Title').fill(title);
  await panel.getByLabel('Kind').selectOption('range');
  await panel.getByLabel('Start date').fill('2019-02-18');
  await panel.getByLabel('Start date').press('Enter');
  await panel.getByLabel('End date').fill('2019-02-19');
  await panel.getByLabel('End date').press('Enter');
  await panel.getByLabel('Confidence').selectOption('moderate');

  // A background band in the same lane, under the range.
  const band = await addEvent(page);
  await panel.getByLabel('Title').fill('Window of tightened control');
  await panel.getByLabel('Kind').selectOption('background');
  await panel.getByLabel('Start date').fill('2019-02-17');
  await panel.getByLabel('Start date').press('Enter');
  await panel.getByLabel('End date').fill('2019-02-24');
  await panel.getByLabel('End date').press('Enter');

  // A point in the second lane.
  const point = await addEvent(page);
  await panel.getByLabel('Title').fill('Assembly elections');
  await panel.getByLabel('Start date').fill('2019-02-21');
  await panel.getByLabel('Start date').press('Enter');
  await panel.getByLabel('Lane').selectOption({ label: 'Elections' });
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  await page.getByRole('button', { name: 'Fit' }).click();

  // The range's label runs past its end instead of being cut.
  const rangeBox = itemBox(page, range, 'range');
  await expect(rangeBox).toBeVisible();
  const label = rangeBox.locator('.vis-item-content');
  await expect(label).toHaveText(title);
  const boxWidth = (await rangeBox.boundingBox())!.width;
  const labelWidth = (await label.boundingBox())!.width;
  expect(labelWidth).toBeGreaterThan(boxWidth);
  expect(await label.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);

  // Hovering shows the whole title, the dates, the lane and the confidence.
  await rangeBox.hover();
  const tooltip = page.getByTestId('axis-tooltip');
  await expect(tooltip).toContainText(title);
  await expect(tooltip).toContainText('2019-02-18 – 2019-02-19');
  await expect(tooltip).toContainText('Events · reported');

  // The band's label is not covered by the range drawn over the band.
  const bandLabel = itemBox(page, band, 'background').locator('.vis-item-content');
  await expect(bandLabel).toHaveText('Window of tightened control');
  const onTop = await bandLabel.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return hit !== null && el.contains(hit);
  });
  expect(onTop).toBe(true);
  await bandLabel.hover();
  await expect(tooltip).toContainText('Window of tightened control');

  // The point is a dot with its label inside its own lane, and nothing crosses the lanes.
  const pointItem = itemBox(page, point);
  await expect(pointItem).toBeVisible();
  await expect(pointItem.locator('.vis-item-content')).toHaveText('Assembly elections');
  await expect(page.locator('.vis-item.vis-line')).toHaveCount(0);
  const lane = (await page.locator('.vis-foreground .vis-group').nth(1).boundingBox())!;
  const dot = (await pointItem.boundingBox())!;
  expect(dot.y).toBeGreaterThanOrEqual(lane.y - 1);
  expect(dot.y + dot.height).toBeLessThanOrEqual(lane.y + lane.height + 1);

  // The legend explains the confidence styles.
  await expect(page.getByTestId('axis-legend')).toContainText('Assessment');
  await page.screenshot({ path: 'test-results/screens/editor-axis-labels.png' });
});

test('navigation: the opening range, Add event in view, Go to date, Fit with a panel open, Esc, the sortable table', async ({
  page,
  createTimeline,
}) => {
  const id = await createTimeline('Navigation');
  await openTimeline(page, id);

  // An empty timeline opens on today ±1 month.
  const opening = await readWindow(page);
  const now = Date.now();
  expect(Math.abs(opening.start - (now - 30.5 * DAY))).toBeLessThan(3 * DAY);
  expect(Math.abs(opening.end - (now + 30.5 * DAY))).toBeLessThan(3 * DAY);

  // "Add event" puts the event inside the visible window.
  const first = await addEvent(page);
  const panel = page.getByTestId('event-panel');
  await panel.getByLabel('Title').fill('Zulu meeting');
  const firstStart = Date.parse(
    `${await tableRow(page, first).locator('[data-field=start]').innerText()}T00:00:00Z`,
  );
  expect(firstStart).toBeGreaterThanOrEqual(opening.start);
  expect(firstStart).toBeLessThanOrEqual(opening.end);

  // Esc closes the panel.
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);

  // Go to date centres the axis on that day at the same zoom.
  await page.getByLabel('Go to date').fill('2019-02-27');
  await page.getByRole('button', { name: 'Go', exact: true }).click();
  await expect
    .poll(async () => {
      const window = await readWindow(page);
      return Math.round((window.start + window.end) / 2 / DAY);
    })
    .toBe(Math.round(Date.parse('2019-02-27T12:00:00Z') / DAY));

  // A second event far away; with its panel open, Fit shows both events.
  const second = await addEvent(page);
  await panel.getByLabel('Title').fill('Alpha briefing');
  await page.getByRole('button', { name: 'Fit' }).click();
  await expect(itemBox(page, first)).toBeVisible();
  await expect(itemBox(page, second)).toBeVisible();
  await expect.poll(async () => (await readWindow(page)).end).toBeGreaterThan(firstStart);
  expect((await readWindow(page)).start).toBeLessThan(Date.parse('2019-02-27T00:00:00Z'));

  // The table sorts by any column, and says so.
  const rows = page.locator('[data-testid=event-table] tbody tr');
  const titleHeader = page.locator('[data-testid=event-table] th[data-column=title]');
  await expect(page.locator('th[data-column=start]')).toHaveAttribute('aria-sort', 'ascending');
  await titleHeader.getByRole('button').click();
  await expect(titleHeader).toHaveAttribute('aria-sort', 'ascending');
  await expect(rows.first()).toContainText('Alpha briefing');
  await titleHeader.getByRole('button').click();
  await expect(titleHeader).toHaveAttribute('aria-sort', 'descending');
  await expect(rows.first()).toContainText('Zulu meeting');
  await expect(page.locator('th[data-column=start]')).toHaveAttribute('aria-sort', 'none');

  // Clicking a row selects its event and brings it into view without zooming.
  for (let i = 0; i < 12; i++) {
    const window = await readWindow(page);
    if (window.end - window.start < 200 * DAY) break;
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await page.waitForTimeout(600);
  }
  expect((await readWindow(page)).end - (await readWindow(page)).start).toBeLessThan(200 * DAY);
  await page.getByLabel('Go to date').fill('2025-01-01');
  await page.getByRole('button', { name: 'Go', exact: true }).click();
  await expect(itemBox(page, second)).toHaveCount(0);
  const away = await readWindow(page);
  await tableRow(page, second).locator('td').nth(2).click();
  await expect(panel).toBeVisible();
  await expect(itemBox(page, second)).toHaveClass(/vis-selected/);
  const shown = await readWindow(page);
  expect(shown.end - shown.start).toBeCloseTo(away.end - away.start, -3);
});

test('the same person in two tabs is shown once', async ({ contextAs, createTimeline }) => {
  const id = await createTimeline('Presence');
  const ana = await contextAs('Ana Lim');
  const first = await ana.newPage();
  const second = await ana.newPage();
  await openTimeline(first, id);
  await openTimeline(second, id);
  const ben = await (await contextAs('Ben Ode')).newPage();
  await openTimeline(ben, id);

  const seenByBen = ben.getByTestId('presence').locator('li');
  await expect(seenByBen).toHaveCount(2);
  await expect(seenByBen.filter({ hasText: 'Ana Lim' })).toHaveAttribute('data-tabs', '2');
  await expect(first.getByTestId('presence').locator('li')).toHaveCount(2);
  await expect(first.getByTestId('presence').locator('li').first()).toContainText('(you)');
});
