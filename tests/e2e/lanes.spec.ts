/**
 * Lane management by one analyst, seen live by another: rename (names unique, ignoring case),
 * recolour, reorder by dragging and with the keyboard buttons, delete moving the lane's events
 * to another lane, and delete together with its events.
 */
import type { Page } from '@playwright/test';
import { expect, tableRow, test } from './fixtures';

/** The lane names as the timeline shows them, top to bottom. */
const laneLabels = (page: Page) => page.locator('.vis-labelset .vis-label');

async function exportOf(page: Page, id: string) {
  const response = await page.request.get(`/api/timelines/${id}/export?format=json`);
  return (await response.json()) as {
    lanes: { id: string; title: string; color: string }[];
    events: { id: string; lane: string }[];
  };
}

test('lanes renamed, recoloured, reordered and deleted (both ways) by A appear for B', async ({
  openTwo,
  createTimeline,
}) => {
  const id = await createTimeline('Lane management');
  const { a, b } = await openTwo(id);

  for (const title of ['Diplomacy', 'Elections']) {
    await a.getByLabel('New lane name').fill(title);
    await a.getByRole('button', { name: 'Add lane' }).click();
  }
  await expect(laneLabels(b)).toHaveText(['Events', 'Diplomacy', 'Elections']);

  // Two events: one in the first lane, one moved to "Elections". A new event is selected.
  const rows = a.locator('[data-testid=event-table] tr[data-event-id]');
  const selectedRow = a.locator('[data-testid=event-table] tr[aria-selected=true]');
  await a.getByRole('button', { name: '+ Add event' }).click();
  await expect(rows).toHaveCount(1);
  const first = (await selectedRow.getAttribute('data-event-id'))!;
  await a.getByRole('button', { name: '+ Add event' }).click();
  await expect(rows).toHaveCount(2);
  await expect(selectedRow).not.toHaveAttribute('data-event-id', first);
  const other = (await selectedRow.getAttribute('data-event-id'))!;
  await a.getByTestId('event-panel').getByLabel('Lane').selectOption({ label: 'Elections' });
  await expect(tableRow(b, other)).toContainText('Elections');

  await a.getByRole('button', { name: 'Lanes' }).click();
  const panel = a.getByTestId('lanes-panel');
  await expect(panel.getByTestId('lane-row')).toHaveCount(3);

  // Rename in place; B sees it in the timeline and in the event list.
  const firstName = panel.getByLabel('Name of lane 1');
  await firstName.fill('Network outages');
  await firstName.press('Enter');
  await expect(laneLabels(b)).toHaveText(['Network outages', 'Diplomacy', 'Elections']);
  await expect(tableRow(b, first)).toContainText('Network outages');

  // Names are unique, ignoring case: refused with a message, nothing written.
  const secondName = panel.getByLabel('Name of lane 2');
  await secondName.fill('network OUTAGES');
  await secondName.press('Enter');
  await expect(panel.getByRole('alert')).toContainText('already exists');
  await secondName.press('Escape');
  await expect(secondName).toHaveValue('Diplomacy');
  await expect(laneLabels(b)).toHaveText(['Network outages', 'Diplomacy', 'Elections']);

  // Recolour from the palette.
  await panel.getByRole('button', { name: 'Colour of Diplomacy' }).click();
  await panel.getByRole('button', { name: 'Red' }).click();
  await expect
    .poll(async () => (await exportOf(b, id)).lanes.find((l) => l.title === 'Diplomacy')?.color)
    .toBe('#dc2626');
  await expect(b.locator('.vis-labelset .vis-label', { hasText: 'Diplomacy' })).toHaveAttribute(
    'style',
    /220, 38, 38|#dc2626/,
  );

  // Drag "Elections" by its handle above the first lane.
  const laneRows = panel.getByTestId('lane-row');
  await laneRows.nth(2).dragTo(laneRows.nth(0), {
    sourcePosition: { x: 14, y: 16 },
    targetPosition: { x: 14, y: 4 },
  });
  await expect(laneLabels(b)).toHaveText(['Elections', 'Network outages', 'Diplomacy']);
  await expect(laneLabels(a)).toHaveText(['Elections', 'Network outages', 'Diplomacy']);

  // The same with the keyboard buttons.
  await panel.getByRole('button', { name: 'Move Diplomacy up' }).click();
  await expect(laneLabels(b)).toHaveText(['Elections', 'Diplomacy', 'Network outages']);

  // Delete "Elections", moving its event to "Network outages".
  await panel.getByRole('button', { name: 'Delete Elections' }).click();
  const dialog = a.getByTestId('delete-lane');
  await expect(dialog).toContainText('It has 1 event');
  await dialog.getByLabel('Lane to move the events to').selectOption({ label: 'Network outages' });
  await dialog.getByRole('button', { name: 'Delete lane' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(laneLabels(b)).toHaveText(['Diplomacy', 'Network outages']);
  await expect(tableRow(b, other)).toContainText('Network outages');
  await expect(b.locator('[data-testid=event-table] tr[data-event-id]')).toHaveCount(2);

  // Delete "Network outages" with its two events.
  await panel.getByRole('button', { name: 'Delete Network outages' }).click();
  await expect(dialog).toContainText('It has 2 events');
  await dialog.getByLabel('Delete the 2 events with the lane').check();
  await dialog.getByRole('button', { name: 'Delete lane' }).click();
  await expect(laneLabels(b)).toHaveText(['Diplomacy']);
  await expect(b.locator('[data-testid=event-table] tr[data-event-id]')).toHaveCount(0);
  const saved = await exportOf(b, id);
  expect(saved.lanes.map((lane) => lane.title)).toEqual(['Diplomacy']);
  expect(saved.events).toEqual([]);
});

test('a viewer sees the lanes but cannot change them', async ({ contextAs, createTimeline }) => {
  const id = await createTimeline('Lanes, read-only');
  const viewer = await (await contextAs('Vera Viewer')).newPage();
  await viewer.goto(`/t/${id}?view=timeline`);
  await expect(viewer.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');
  await viewer.getByRole('button', { name: 'Lanes' }).click();
  const panel = viewer.getByTestId('lanes-panel');
  await expect(panel.getByLabel('Name of lane 1')).toHaveValue('Events');
  await expect(panel.getByLabel('Name of lane 1')).toHaveAttribute('readonly', '');
  await expect(panel.getByRole('button', { name: /Delete|Move/ })).toHaveCount(0);
});
