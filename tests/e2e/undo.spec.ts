/**
 * Per-user undo and the keyboard, in two browser contexts: A's undo reverts only A's changes
 * while B edits the same timeline.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, itemBox, settledBox, tableRow, test } from './fixtures';

const SCREENS = 'test-results/screens';

/** Adds an event with "N" (its title focused in the panel), names and dates it; panel closed. */
async function addWithKeyboard(page: Page, title: string, day: string): Promise<string> {
  const rows = page.locator('[data-testid=event-table] tr[data-event-id]');
  const before = await rows.count();
  await page.keyboard.press('n');
  await expect(rows).toHaveCount(before + 1);
  const panel = page.getByTestId('event-panel');
  await expect(panel.getByLabel('Title')).toBeFocused();
  await page.keyboard.type(title);
  await panel.getByLabel('Start date').fill(day);
  await panel.getByLabel('Start date').press('Enter');
  const id = await rows.filter({ hasText: title }).getAttribute('data-event-id');
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  return id!;
}

/** The title cell of an event's row (the axis of B shows B's own window, not A's events). */
function titleOf(page: Page, eventId: string) {
  return tableRow(page, eventId).locator('td').first();
}

/** A description editor's text without the colleagues' carets and name tags drawn in it. */
function textOf(editor: Locator): Promise<string> {
  return editor.evaluate((element) => {
    const copy = element.cloneNode(true) as HTMLElement;
    for (const caret of copy.querySelectorAll('.cm-ySelectionCaret')) caret.remove();
    return (copy.textContent ?? '').replaceAll('\u2060', '');
  });
}

function startOf(page: Page, eventId: string) {
  return tableRow(page, eventId).locator('[data-field=start]');
}

test("A's undo brings back A's deleted event and keeps B's rename; keys navigate; the toast undoes", async ({
  openTwo,
  createTimeline,
}) => {
  const id = await createTimeline('Undo together');
  const { a, b } = await openTwo(id);
  const undoButton = a.getByRole('button', { name: 'Undo' });
  await expect(undoButton).toBeDisabled();

  const first = await addWithKeyboard(a, 'First', '2024-03-01');
  const second = await addWithKeyboard(a, 'Second', '2024-03-05');
  const third = await addWithKeyboard(a, 'Third', '2024-03-09');
  await expect(titleOf(b, third)).toHaveText('Third');
  await expect(undoButton).toBeEnabled();

  // Arrows move the selection in time without opening the panel; Enter opens it, Esc closes it.
  const panel = a.getByTestId('event-panel');
  await tableRow(a, first).click();
  await expect(panel.getByLabel('Title')).toHaveValue('First');
  await a.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  await a.keyboard.press('ArrowRight');
  await expect(tableRow(a, second)).toHaveAttribute('aria-selected', 'true');
  await expect(itemBox(a, second)).toHaveClass(/vis-selected/);
  await expect(panel).toHaveCount(0);
  await a.keyboard.press('Enter');
  await expect(panel.getByLabel('Title')).toHaveValue('Second');
  await a.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  await a.keyboard.press('ArrowLeft');
  await expect(tableRow(a, first)).toHaveAttribute('aria-selected', 'true');

  // B renames Third while A deletes First with the Delete key (no confirmation, a toast).
  await tableRow(b, third).click();
  await b.getByTestId('event-panel').getByLabel('Title').fill('Third, renamed by B');
  await a.keyboard.press('Delete');
  await expect(tableRow(b, first)).toHaveCount(0);
  const toast = a.getByTestId('toast');
  await expect(toast).toContainText('Event deleted');
  await expect(toast.getByRole('button', { name: 'Undo' })).toBeVisible();
  await expect(titleOf(a, third)).toHaveText('Third, renamed by B');
  await a.screenshot({ path: `${SCREENS}/undo-toast.png` });

  // A presses Ctrl+Z: First is back for both (same id), B's rename stays.
  await a.keyboard.press('Control+z');
  for (const page of [a, b]) {
    await expect(titleOf(page, first)).toHaveText('First');
    await expect(startOf(page, first)).toHaveText('2024-03-01');
    await expect(titleOf(page, third)).toHaveText('Third, renamed by B');
  }
  await expect(toast).toHaveCount(0);

  // Delete again, then the toast's Undo: back, and selected again.
  await tableRow(a, first).click();
  await a.keyboard.press('Escape');
  await a.keyboard.press('Delete');
  await expect(tableRow(a, first)).toHaveCount(0);
  await toast.getByRole('button', { name: 'Undo' }).click();
  await expect(tableRow(b, first)).toHaveCount(1);
  await expect(tableRow(a, first)).toHaveAttribute('aria-selected', 'true');
  const redoButton = a.getByRole('button', { name: 'Redo' });
  await expect(redoButton).toBeEnabled();
  await a.getByRole('toolbar').screenshot({ path: `${SCREENS}/undo-toolbar.png` });

  // "?" lists the shortcuts, from the same table the keys are decided by.
  await a.keyboard.press('?');
  const dialog = a.getByTestId('shortcuts-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('New event at the centre of the view');
  await expect(dialog).toContainText('Focus the search box');
  // Long key lists wrap inside their column instead of running over the descriptions.
  const overflowing = await dialog
    .locator('.shortcut-keys')
    .evaluateAll((cells) => cells.filter((cell) => cell.scrollWidth > cell.clientWidth).length);
  expect(overflowing).toBe(0);
  await a.screenshot({ path: `${SCREENS}/undo-shortcuts.png` });
  await a.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
});

test('a drag is undone in one step; Ctrl+Z in the description undoes only A’s typing', async ({
  openTwo,
  createTimeline,
}) => {
  const id = await createTimeline('Undo a drag');
  const { a, b } = await openTwo(id);
  const eventId = await addWithKeyboard(a, 'Drag me', '2024-05-10');
  await a.getByRole('button', { name: 'Fit' }).click();
  await expect(startOf(b, eventId)).toHaveText('2024-05-10');

  // Drag to the right: many intermediate positions, one drop.
  const box = itemBox(a, eventId);
  await box.click();
  // The click opens the panel, which narrows the axis: drag from where the item ends up, not
  // from where it was a moment ago (a drag that misses the item moves nothing).
  await expect(a.getByTestId('event-panel')).toBeVisible();
  const bounds = await settledBox(a, box);
  await a.mouse.move(bounds.x + bounds.width / 2, bounds.y + bounds.height / 2);
  await a.mouse.down();
  await a.mouse.move(bounds.x + bounds.width / 2 + 150, bounds.y + bounds.height / 2, {
    steps: 15,
  });
  await a.mouse.up();
  // A's own drag first, then what B sees of it.
  await expect(startOf(a, eventId)).not.toHaveText('2024-05-10');
  await expect(startOf(b, eventId)).not.toHaveText('2024-05-10');
  // Whatever the panel's state, the key goes to the page (the panel opened on the click).
  await a.keyboard.press('Escape');
  await a.keyboard.press('Control+z');
  await expect(startOf(a, eventId)).toHaveText('2024-05-10');
  await expect(startOf(b, eventId)).toHaveText('2024-05-10');
  // One step: redo puts the whole drag back, and the step before (the date typed) is intact.
  await a.keyboard.press('Control+Shift+z');
  await expect(startOf(b, eventId)).not.toHaveText('2024-05-10');
  await a.keyboard.press('Control+z');
  await expect(startOf(b, eventId)).toHaveText('2024-05-10');

  // Both type in the description; A's Ctrl+Z there removes only A's words.
  await a.keyboard.press('Enter');
  const editorA = a.getByTestId('event-panel').getByTestId('description-editor');
  await editorA.click();
  // One input event (as a paste would be): under load, typed keys can be > 500 ms apart and
  // would then be several steps, which is right for typing but not what this checks.
  await a.keyboard.insertText('Alpha wrote this.');
  await tableRow(b, eventId).click();
  const editorB = b.getByTestId('event-panel').getByTestId('description-editor');
  await expect.poll(() => textOf(editorB)).toBe('Alpha wrote this.');
  await editorB.click();
  await b.keyboard.press('Control+End');
  await b.keyboard.insertText(' Bee adds this.');
  await expect.poll(() => textOf(editorA)).toBe('Alpha wrote this. Bee adds this.');
  await editorA.press('Control+z');
  await expect.poll(() => textOf(editorA)).toBe(' Bee adds this.');
  await expect.poll(() => textOf(editorB)).toBe(' Bee adds this.');
  // The drag's undo is still ahead of it on A's one stack: nothing else moved.
  await expect(startOf(b, eventId)).toHaveText('2024-05-10');
  await expect(titleOf(b, eventId)).toHaveText('Drag me');
});
