/**
 * The event panel an analyst can trust: two people typing in one description keep their words
 * in order, a date field writes only a complete, real date, and a refused value is marked on its
 * field with the reason beside it while the document keeps its value.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, openTimeline, tableRow, test, timelineItem } from './fixtures';

/** Adds an event with the toolbar button on `page`, names it, and returns its id. */
async function addEvent(page: Page, title: string): Promise<string> {
  await page.getByRole('button', { name: '+ Add event' }).click();
  const row = page.locator('[data-testid=event-table] tr[data-event-id]').last();
  const id = (await row.getAttribute('data-event-id'))!;
  await page.getByTestId('event-panel').getByLabel('Title').fill(title);
  return id;
}

/** Opens an event's panel from its table row. */
async function openEvent(page: Page, eventId: string) {
  await tableRow(page, eventId).getByRole('button').click();
  const panel = page.getByTestId('event-panel');
  await expect(panel).toBeVisible();
  return panel;
}

/** The text in a description editor, without the others' caret widgets drawn inside it. */
function editorText(editor: Locator): Promise<string> {
  return editor.evaluate((element) => {
    const copy = element.cloneNode(true) as HTMLElement;
    for (const widget of copy.querySelectorAll('.cm-ySelectionCaret')) widget.remove();
    return [...copy.querySelectorAll('.cm-line')].map((line) => line.textContent).join('\n');
  });
}

/** The event as the server has it (JSON export). */
async function exportedEvent(page: Page, timelineId: string, eventId: string) {
  const response = await page.request.get(`/api/timelines/${timelineId}/export?format=json`);
  const body = (await response.json()) as {
    events: { id: string; title: string; start: string; end?: string; description: string }[];
  };
  return body.events.find((event) => event.id === eventId);
}

test('two people typing at two places of one description keep both texts in order', async ({
  openTwo,
  createTimeline,
}) => {
  const timelineId = await createTimeline('Concurrent description');
  const { a, b } = await openTwo(timelineId);
  const eventId = await addEvent(a, 'Border closure');
  const panelA = a.getByTestId('event-panel');
  const editorA = panelA.getByTestId('description-editor');
  await editorA.fill('During the night the border closed.');

  const panelB = await openEvent(b, eventId);
  const editorB = panelB.getByTestId('description-editor');
  await expect.poll(() => editorText(editorB)).toBe('During the night the border closed.');

  // Ana's caret after "During", Ben's at the end.
  await editorA.click();
  await a.keyboard.press('Control+Home');
  for (let i = 0; i < 'During'.length; i++) await a.keyboard.press('ArrowRight');
  await editorB.click();
  await b.keyboard.press('Control+End');

  // Each sees the other's caret, in their presence colour and with their name.
  await expect(panelB.locator('.cm-ySelectionCaret')).toContainText('Ana Lim');
  await expect(panelA.locator('.cm-ySelectionCaret')).toContainText('Ben Ode');

  // Both type at once, keystrokes interleaved.
  await Promise.all([
    a.keyboard.type(' [Ana]', { delay: 70 }),
    b.keyboard.type(' Ben: confirmed by radio.', { delay: 25 }),
  ]);

  const expected = 'During [Ana] the night the border closed. Ben: confirmed by radio.';
  await expect.poll(() => editorText(editorA)).toBe(expected);
  await expect.poll(() => editorText(editorB)).toBe(expected);
  await expect
    .poll(async () => (await exportedEvent(a, timelineId, eventId))?.description)
    .toBe(expected);

  // Nobody's caret jumped: each keeps typing where they were.
  await a.keyboard.type('!');
  await b.keyboard.type('?');
  const final = 'During [Ana]! the night the border closed. Ben: confirmed by radio.?';
  await expect.poll(() => editorText(editorA)).toBe(final);
  await expect.poll(() => editorText(editorB)).toBe(final);
  await a.screenshot({ path: 'test-results/screens/description-carets.png' });
});

test('an impossible date is refused with a message beside the field and nothing is written', async ({
  openTwo,
  createTimeline,
}) => {
  const timelineId = await createTimeline('Impossible date');
  const { a, b } = await openTwo(timelineId);
  const eventId = await addEvent(a, 'Talks');
  const panel = a.getByTestId('event-panel');
  const startDate = panel.getByLabel('Start date');
  await startDate.fill('2019-02-18');
  await startDate.press('Enter');
  await expect(tableRow(b, eventId).locator('[data-field=start]')).toHaveText('2019-02-18');

  // Type 02/30/2019 digit by digit (the date input's own segments, month first in en-US).
  // focus() puts the caret in the first segment (month), as tabbing in does.
  await startDate.focus();
  await startDate.pressSequentially('02302019', { delay: 60 });
  // Nothing is written while typing.
  await expect(tableRow(b, eventId).locator('[data-field=start]')).toHaveText('2019-02-18');
  await startDate.press('Enter');

  const message = panel.locator('[data-field=start] [role=alert]');
  await expect(message).toContainText('Not a real date');
  await expect(startDate).toHaveAttribute('aria-invalid', 'true');
  const messageId = await message.getAttribute('id');
  await expect(startDate).toHaveAttribute('aria-describedby', messageId!);

  // Leaving the field writes nothing either; the field stays marked until fixed.
  await panel.getByLabel('Title').click();
  await expect(startDate).toHaveAttribute('aria-invalid', 'true');
  await expect(tableRow(a, eventId).locator('[data-field=start]')).toHaveText('2019-02-18');
  await expect(tableRow(b, eventId).locator('[data-field=start]')).toHaveText('2019-02-18');
  expect((await exportedEvent(a, timelineId, eventId))?.start).toBe('2019-02-18T00:00:00.000Z');
  await a.screenshot({ path: 'test-results/screens/impossible-date.png' });

  // A real date with a time is written once, on Enter, and the mark goes.
  await startDate.fill('2019-02-28');
  await panel.getByLabel('Start time').fill('09:30');
  await panel.getByLabel('Start time').press('Enter');
  await expect(message).toHaveCount(0);
  await expect(startDate).toHaveAttribute('aria-invalid', 'false');
  await expect(tableRow(b, eventId).locator('[data-field=start]')).toHaveText(
    '2019-02-28 09:30 UTC',
  );
});

test('a refused title or end is marked beside its field, and the field never silently differs from the document', async ({
  openTwo,
  createTimeline,
}) => {
  const timelineId = await createTimeline('Errors beside the field');
  const { a, b } = await openTwo(timelineId);
  const eventId = await addEvent(a, 'Ceasefire');
  const panel = a.getByTestId('event-panel');
  await expect(timelineItem(b, eventId)).toHaveText('Ceasefire');

  // Clearing the title: refused beside the title, the timeline keeps the title.
  const title = panel.getByLabel('Title', { exact: true });
  await title.fill('');
  const titleMessage = panel.locator('[data-field=title] [role=alert]');
  await expect(titleMessage).toContainText('A title is needed');
  await expect(title).toHaveAttribute('aria-invalid', 'true');
  await expect(timelineItem(a, eventId)).toHaveText('Ceasefire');
  await expect(timelineItem(b, eventId)).toHaveText('Ceasefire');
  // Leaving the field shows the document's title again.
  await panel.getByLabel('Kind').focus();
  await expect(title).toHaveValue('Ceasefire');
  await expect(titleMessage).toHaveCount(0);

  // End before start: refused beside End, the document keeps its end.
  await panel.getByLabel('Kind').selectOption('range');
  await panel.getByLabel('Start date').fill('2019-03-10');
  await panel.getByLabel('Start date').press('Enter');
  await panel.getByLabel('End date').fill('2019-03-12');
  await panel.getByLabel('End date').press('Enter');
  await expect(tableRow(b, eventId).locator('[data-field=end]')).toHaveText('2019-03-12');
  await panel.getByLabel('End date').fill('2019-03-01');
  await panel.getByLabel('End date').press('Enter');
  const endMessage = panel.locator('[data-field=end] [role=alert]');
  await expect(endMessage).toContainText('End must not be before the start (2019-03-10)');
  await expect(panel.getByLabel('End date')).toHaveAttribute('aria-invalid', 'true');
  await expect(panel.locator('[data-field=start] [role=alert]')).toHaveCount(0);
  await expect(tableRow(b, eventId).locator('[data-field=end]')).toHaveText('2019-03-12');
  await a.screenshot({ path: 'test-results/screens/end-before-start.png' });
  // Escape puts the document's value back.
  await panel.getByLabel('End date').press('Escape');
  await expect(panel.getByLabel('End date')).toHaveValue('2019-03-12');
  await expect(endMessage).toHaveCount(0);
});

test("others' changes reach the fields you are not editing; the one you are editing keeps your draft", async ({
  openTwo,
  createTimeline,
}) => {
  const timelineId = await createTimeline('Drafts and remote changes');
  const { a, b } = await openTwo(timelineId);
  const eventId = await addEvent(a, 'Convoy');
  const panelA = a.getByTestId('event-panel');
  await panelA.getByLabel('Start date').fill('2019-05-01');
  await panelA.getByLabel('Start date').press('Enter');
  const panelB = await openEvent(b, eventId);
  await expect(panelB.getByLabel('Start date')).toHaveValue('2019-05-01');

  // A starts typing a new start date, not committed yet.
  await panelA.getByLabel('Start date').fill('2019-05-03');
  // B renames the event and moves its start.
  await panelB.getByLabel('Title', { exact: true }).fill('Convoy attacked');
  await panelB.getByLabel('Start date').fill('2019-05-02');
  await panelB.getByLabel('Start date').press('Enter');
  await expect(panelA.getByLabel('Title', { exact: true })).toHaveValue('Convoy attacked');
  await expect(tableRow(a, eventId).locator('[data-field=start]')).toHaveText('2019-05-02');
  // A's draft is kept while A edits, then A's Enter commits it.
  await expect(panelA.getByLabel('Start date')).toHaveValue('2019-05-03');
  await panelA.getByLabel('Start date').press('Enter');
  await expect(panelB.getByLabel('Start date')).toHaveValue('2019-05-03');

  // Leaving a field one did not change writes nothing over a colleague's newer value.
  await panelA.getByLabel('Start date').focus();
  await panelB.getByLabel('Start date').fill('2019-05-04');
  await panelB.getByLabel('Start date').press('Enter');
  await expect(tableRow(a, eventId).locator('[data-field=start]')).toHaveText('2019-05-04');
  await panelA.getByLabel('Kind').focus();
  await expect(panelA.getByLabel('Start date')).toHaveValue('2019-05-04');
  await expect(tableRow(b, eventId).locator('[data-field=start]')).toHaveText('2019-05-04');
  expect((await exportedEvent(a, timelineId, eventId))?.start).toBe('2019-05-04T00:00:00.000Z');

  // A reload shows what everyone sees.
  await openTimeline(a, timelineId);
  await expect(tableRow(a, eventId)).toContainText('Convoy attacked');
});

test('a space typed at the end of a title stays while the trimmed title comes back from the document', async ({
  openTwo,
  createTimeline,
}) => {
  const timelineId = await createTimeline('Titles typed slowly');
  const { a, b } = await openTwo(timelineId);
  const eventId = await addEvent(a, 'Tower');
  const title = a.getByTestId('event-panel').getByLabel('Title', { exact: true });
  await title.press('End');
  // "Tower " is written as "Tower" (titles are trimmed): the page has that echo before the next
  // word is typed, as on a slow machine, and the space must still be in the field.
  await title.pressSequentially(' the ');
  await expect(timelineItem(b, eventId)).toHaveText('Tower the');
  await expect(timelineItem(a, eventId)).toHaveText('Tower the');
  await expect(title).toHaveValue('Tower the ');
  await title.pressSequentially('import');
  await expect(title).toHaveValue('Tower the import');
  await expect(timelineItem(b, eventId)).toHaveText('Tower the import');
  expect((await exportedEvent(a, timelineId, eventId))?.title).toBe('Tower the import');
});
