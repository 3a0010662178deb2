/**
 * Evidence in the editor, live between two analysts: graded sources and the corroboration they
 * give, tags and links (drawn as arrows while the event is selected), and uncertain dates drawn
 * as a faded extension with a refused bound marked on its field.
 */
import type { Page } from '@playwright/test';
import { expect, itemBox, openTimeline, tableRow, test, timelineItem } from './fixtures';

/** Adds an event with the toolbar button on `page`, names it, and returns its id. */
async function addEvent(page: Page, title: string): Promise<string> {
  const rows = page.locator('[data-testid=event-table] tr[data-event-id]');
  const before = await rows.count();
  await page.getByRole('button', { name: '+ Add event' }).click();
  await expect(rows).toHaveCount(before + 1);
  const panel = page.getByTestId('event-panel');
  await panel.getByLabel('Title', { exact: true }).fill(title);
  await expect(timelineItem(page, await selectedId(page))).toHaveText(title);
  return selectedId(page);
}

async function selectedId(page: Page): Promise<string> {
  const row = page.locator('[data-testid=event-table] tr[aria-selected=true]');
  return (await row.getAttribute('data-event-id'))!;
}

async function openEvent(page: Page, eventId: string) {
  await tableRow(page, eventId).getByRole('button').first().click();
  const panel = page.getByTestId('event-panel');
  await expect(panel).toBeVisible();
  return panel;
}

test('B adds a graded source; A sees its grades and the corroboration change', async ({
  openTwo,
  createTimeline,
}) => {
  const id = await createTimeline('Graded sources');
  const { a, b } = await openTwo(id);
  const eventId = await addEvent(a, 'Summit called off');
  const panelA = a.getByTestId('event-panel');
  await expect(panelA.getByTestId('corroboration')).toHaveText('Unsourced');
  await expect(itemBox(a, eventId)).toHaveClass(/cb-unsourced/);

  // B opens the event and adds a source with a publisher and an Admiralty grade.
  const panelB = await openEvent(b, eventId);
  await panelB.getByRole('button', { name: '+ Add source' }).click();
  const sourceB = panelB.locator('.source-item').first();
  await sourceB.getByLabel('Title').fill('Talks end early');
  await sourceB.getByLabel('Link').fill('https://www.reuters.com/world/talks');
  await sourceB.getByLabel('Publisher').fill('Reuters');
  await sourceB.getByLabel('Publisher').press('Enter');
  await sourceB.getByLabel('Reliability').selectOption('B');
  await sourceB.getByLabel('Credibility').selectOption('2');
  await sourceB.getByLabel('Excerpt').fill('The talks ended two hours early.');
  await sourceB.getByLabel('Notes').click(); // leaving the excerpt writes it

  // A sees the source, its grade and the corroboration of one publisher, live.
  const sourceA = panelA.locator('.source-item').first();
  await expect(sourceA.locator('.grade-chip')).toHaveText('B2');
  await expect(sourceA.locator('.grade-chip')).toHaveAttribute(
    'title',
    'B2 — usually reliable, probably true',
  );
  await expect(sourceA.getByTestId('source-summary')).toHaveText('Reuters');
  await expect(sourceA.locator('.source-summary')).toHaveAttribute('title', 'B2 · Reuters');
  await expect(sourceA.getByRole('link', { name: 'Talks end early' })).toHaveAttribute(
    'href',
    'https://www.reuters.com/world/talks',
  );
  await expect(panelA.getByTestId('corroboration')).toHaveText('Single source');
  await expect(itemBox(a, eventId)).toHaveClass(/cb-single-source/);
  await expect(tableRow(a, eventId).locator('[data-field=corroboration]')).toHaveText(
    'Single source',
  );
  // A expands it and reads the excerpt B wrote.
  await sourceA.getByRole('button', { name: 'Edit Talks end early' }).click();
  await expect(sourceA.getByLabel('Excerpt')).toHaveValue('The talks ended two hours early.');

  // The grading scale is one click away.
  await panelA.getByTestId('grading-legend').locator('summary').click();
  await expect(panelA.getByTestId('grading-legend')).toContainText('Usually reliable');

  // A second publisher (named only by its link's host) makes two independent publishers.
  await panelB.getByRole('button', { name: '+ Add source' }).click();
  const secondB = panelB.locator('.source-item').nth(1);
  await secondB.getByLabel('Title').fill('Leaders leave Hanoi');
  await secondB.getByLabel('Link').fill('https://apnews.com/article/hanoi');
  await secondB.getByLabel('Link').press('Enter');
  await expect(panelA.getByTestId('corroboration')).toHaveText('2 independent publishers');
  await expect(itemBox(a, eventId)).not.toHaveClass(/cb-single-source/);

  // B moves the second source up; A sees the new order.
  await panelB.getByRole('button', { name: 'Move Leaders leave Hanoi up' }).click();
  await expect(panelA.locator('.source-title').first()).toHaveText('Leaders leave Hanoi');

  // The server has the grades.
  const exported = await (await a.request.get(`/api/timelines/${id}/export?format=json`)).json();
  const reuters = exported.events[0].sources.find(
    (source: { publisher?: string }) => source.publisher === 'Reuters',
  );
  expect(reuters).toMatchObject({ reliability: 'B', credibility: 2 });
  await a.screenshot({ path: 'test-results/screens/evidence-sources.png' });
});

test('A adds a tag and a link; B sees them, and the arrow while the event is selected', async ({
  openTwo,
  createTimeline,
}) => {
  const id = await createTimeline('Tags and links');
  const { a, b } = await openTwo(id);
  const cause = await addEvent(a, 'Sanctions announced');
  await a.keyboard.press('Escape');
  const effect = await addEvent(a, 'Exports fall');
  const panelA = a.getByTestId('event-panel');

  await panelA.getByRole('combobox', { name: 'Tags' }).fill('economy');
  await panelA.getByRole('combobox', { name: 'Tags' }).press('Enter');
  await expect(panelA.locator('.tag-chip')).toHaveText(['economy×']);

  // Link: Exports fall is caused by Sanctions announced, picked from a search.
  await panelA.getByLabel('Relation').selectOption('caused-by');
  await panelA.getByLabel('Find an event to link').fill('sanct');
  await panelA.getByRole('list', { name: 'Matching events' }).getByRole('button').click();
  await expect(panelA.locator(`[data-link-target="${cause}"]`)).toContainText('Caused by');

  // B selects the event: the tag, the link, and one arrow from the cause to it.
  const panelB = await openEvent(b, effect);
  await expect(panelB.locator('.tag-chip')).toHaveText(['economy×']);
  await expect(panelB.locator(`[data-link-target="${cause}"]`)).toContainText(
    'Sanctions announced',
  );
  const arrows = b.locator('svg.cb-link-arrows');
  await expect(arrows).toHaveAttribute('data-arrows', `${cause}>${effect}`);
  await expect
    .poll(() => arrows.locator('path[marker-end]').evaluateAll((paths) => paths.length))
    .toBe(1);
  expect(await arrows.locator('path[marker-end]').getAttribute('d')).not.toBe('M 0 0');

  // B removes the tag; A sees it go. The tag is offered on another event.
  await panelB.getByRole('button', { name: 'Remove tag economy' }).click();
  await expect(panelA.locator('.tag-chip')).toHaveCount(0);
  await panelA.getByRole('combobox', { name: 'Tags' }).fill('economy');
  await panelA.getByRole('combobox', { name: 'Tags' }).press('Enter');
  await expect(panelB.locator('.tag-chip')).toHaveText(['economy×']);
  await expect(tableRow(b, effect).locator('[data-field=tags]')).toHaveText('economy');

  // Clicking the link selects its target, whose arrows are its own; deselecting removes them.
  await panelB.locator(`[data-link-target="${cause}"]`).getByRole('button').first().click();
  await expect(tableRow(b, cause)).toHaveAttribute('aria-selected', 'true');
  await expect(arrows).toHaveAttribute('data-arrows', `${cause}>${effect}`);
  // Esc closes the panel and keeps the selection (its arrows stay); a second Esc deselects.
  await b.keyboard.press('Escape');
  await expect(b.getByTestId('event-panel')).toHaveCount(0);
  await expect(arrows).toHaveAttribute('data-arrows', `${cause}>${effect}`);
  await b.keyboard.press('Escape');
  await expect(arrows).toHaveAttribute('data-arrows', '');
  await expect(arrows.locator('path[marker-end]')).toHaveCount(0);
});

test('uncertain dates: a bound outside its date is refused on its field; a valid window is drawn faded', async ({
  page,
  createTimeline,
}) => {
  const id = await createTimeline('Uncertain dates');
  await openTimeline(page, id);
  const eventId = await addEvent(page, 'Border closed');
  const panel = page.getByTestId('event-panel');
  await panel.getByLabel('Start date').fill('2019-02-18');
  await panel.getByLabel('Start date').press('Enter');
  await panel.getByLabel('Confidence').selectOption('low');
  await expect(panel.getByTestId('confidence-meaning')).toContainText('Questionable');
  await panel.getByLabel('Date precision').selectOption('month');

  // An earliest start after the start is refused, the reason beside the field.
  await panel.locator('summary', { hasText: 'Uncertain dates' }).click();
  const earliest = panel.getByLabel('Start, earliest date');
  await earliest.fill('2019-02-25');
  await earliest.press('Enter');
  const field = panel.locator('[data-field=startEarliest]');
  await expect(field.locator('.field-message')).toContainText('must not be after');
  await expect(page.locator('.vis-item.cb-uncertain')).toHaveCount(0);

  await earliest.fill('2019-02-01');
  await earliest.press('Enter');
  await expect(field.locator('.field-message')).toHaveCount(0);
  await expect(page.locator('.vis-item.cb-uncertain-start')).toHaveCount(1);
  await expect(itemBox(page, eventId)).toHaveClass(/cb-confidence-low/);

  // The tooltip gives the date as precisely as it is known. (Esc closes the panel; a second
  // Esc deselects, so the selected item's delete button is not over the label.)
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(page.locator('[data-testid=event-table] tr[aria-selected=true]')).toHaveCount(0);
  await timelineItem(page, eventId).hover();
  await expect(page.getByTestId('axis-tooltip')).toContainText('2019-02 (known to the month)');
});
