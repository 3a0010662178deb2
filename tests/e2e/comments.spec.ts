/**
 * Comment threads between people in the timeline: Ana (editor) comments, Vera (a viewer account)
 * sees it within a second without reloading and replies, Ana resolves; a share-link visitor
 * watches it all live, read-only, with a note saying why. The panel header and the table count
 * the comments. Logic and authorization are in tests/integration/comments.test.ts.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, openTimeline, tableRow, test } from './fixtures';

const SCRATCH = '/work/scratch/comments';

/** Opens an event's panel from its table row. */
async function openEvent(page: Page, eventId: string) {
  await tableRow(page, eventId).getByRole('button').click();
  const panel = page.getByTestId('event-panel');
  await expect(panel).toBeVisible();
  return panel;
}

test('a comment reaches everyone live; a viewer replies; the thread is resolved', async ({
  browser,
  baseURL,
  auth,
  request,
  contextAs,
  createTimeline,
}, testInfo) => {
  test.setTimeout(90_000);
  const timelineId = await createTimeline('Port closure');
  const link = await request.post(`/api/timelines/${timelineId}/links`, {
    data: { role: 'view' },
    headers: { authorization: `Bearer ${auth.token}` },
  });
  expect(link.status()).toBe(201);
  const { token } = (await link.json()) as { token: string };

  const a = await (await contextAs('Ana Lim')).newPage();
  await openTimeline(a, timelineId);
  await a.getByRole('button', { name: '+ Add event' }).click();
  const eventId = (await a
    .locator('[data-testid=event-table] tr[data-event-id]')
    .last()
    .getAttribute('data-event-id'))!;
  const panelA = a.getByTestId('event-panel');
  await panelA.getByLabel('Title').fill('Harbour master closes the port');

  const b = await (await contextAs('Vera Viewer')).newPage();
  // Viewers land on the dashboard; `view=timeline` opens the read-only timeline.
  await openTimeline(b, timelineId, '?view=timeline');
  const panelB = await openEvent(b, eventId);
  await expect(panelB.getByText('No comments yet.')).toBeVisible();

  const visitorContext = await browser.newContext({ baseURL });
  try {
    const c = await visitorContext.newPage();
    await c.goto(`/t/${timelineId}?token=${encodeURIComponent(token)}&view=timeline`);
    await expect(c.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');
    const panelC = await openEvent(c, eventId);
    // Link visitors read; the note says why they cannot write.
    await expect(panelC.getByText(/share link, so comments are read-only/)).toBeVisible();
    await expect(panelC.getByRole('textbox', { name: 'New comment' })).toHaveCount(0);

    // Ana comments (Ctrl+Enter sends). Markup is text, never HTML.
    const text = 'Who reported this first? <b>not bold</b>';
    await panelA.getByRole('textbox', { name: 'New comment' }).fill(text);
    const posted = a.waitForResponse(
      (response) => response.url().endsWith('/comments') && response.request().method() === 'POST',
    );
    await panelA.getByRole('textbox', { name: 'New comment' }).press('Control+Enter');
    expect((await posted).status()).toBe(201);
    // From the moment the server has the comment to the others showing it, without a reload.
    const sent = Date.now();
    // Checked every 50 ms in the pages themselves (an expect() retries at growing intervals,
    // which would add up to half a second to what is measured).
    const shown = (page: Page) =>
      page.waitForFunction(
        (expected) =>
          [...document.querySelectorAll('[data-testid=event-panel] .comment-body')].some(
            (element) => element.textContent === expected,
          ),
        text,
        { polling: 50, timeout: 1_000 },
      );
    await Promise.all([shown(b), shown(c)]);
    const latency = Date.now() - sent;
    const threadB = panelB.locator('[data-comment-thread]');
    await expect(threadB.getByText(text)).toBeVisible();
    await expect(panelC.getByText(text)).toBeVisible();
    testInfo.annotations.push({ type: 'comment latency', description: `${latency} ms` });
    console.log(`comment seen by the other two after ${latency} ms (${testInfo.project.name})`);
    await expect(panelA.getByRole('textbox', { name: 'New comment' })).toHaveValue('');
    await expect(threadB.locator('b')).toHaveCount(0);
    await expect(threadB.locator('.comment-author').first()).toHaveText('Ana Lim');
    await expect(panelA.locator('.comment-author').first()).toHaveText('You');
    await expect(threadB.locator('time').first()).toHaveText('just now');
    await expect(threadB.locator('time').first()).toHaveAttribute('title', /UTC$/);

    // Vera, a viewer account, replies; Ana sees it live and the counts follow.
    await threadB.getByRole('button', { name: 'Reply' }).click();
    await threadB.getByRole('textbox', { name: 'Reply' }).fill('The port authority, 06:10 UTC.');
    await threadB.getByRole('textbox', { name: 'Reply' }).press('Control+Enter');
    const threadA = panelA.locator('[data-comment-thread]');
    // Live, without a reload (the latency is measured above and in the integration test).
    await expect(threadA.getByText('The port authority, 06:10 UTC.')).toBeVisible();
    await expect(panelA.getByTestId('comment-count')).toHaveText(/2/);
    await expect(tableRow(a, eventId).locator('[data-field=comments]')).toHaveText(/^2/);
    await expect(tableRow(c, eventId).locator('[data-field=comments]')).toHaveText(/^2/);

    mkdirSync(SCRATCH, { recursive: true });
    const sectionC = panelC.getByRole('region', { name: 'Comments' });
    await sectionC.scrollIntoViewIfNeeded();
    await sectionC.screenshot({ path: `${SCRATCH}/visitor-${testInfo.project.name}.png` });
    await panelA.screenshot({ path: `${SCRATCH}/panel-top-${testInfo.project.name}.png` });
    const sectionA = panelA.getByRole('region', { name: 'Comments' });
    await sectionA.scrollIntoViewIfNeeded();
    await sectionA.screenshot({ path: `${SCRATCH}/panel-thread-${testInfo.project.name}.png` });

    // Ana edits her comment: everyone sees the new text, marked edited.
    await threadA.locator('.comment').first().getByRole('button', { name: 'Edit' }).click();
    const edit = threadA.getByRole('textbox', { name: 'Edit comment' });
    await edit.fill('Who reported the closure first?');
    await edit.press('Control+Enter');
    await expect(threadB.getByText('Who reported the closure first?')).toBeVisible();
    await expect(threadB.getByText('(edited)')).toBeVisible();
    // Vera may not edit Ana's comment: she is offered no Edit there.
    await expect(
      threadB.locator('.comment').first().getByRole('button', { name: 'Edit' }),
    ).toHaveCount(0);

    // Ana resolves: the thread collapses everywhere, and can be opened and reopened.
    await threadA.getByRole('button', { name: 'Resolve' }).click();
    const resolvedB = panelB.locator('details.comment-thread.resolved');
    await expect(resolvedB).toBeVisible();
    await expect(resolvedB).not.toHaveAttribute('open', '');
    await expect(resolvedB.locator('summary')).toContainText('resolved · 2 comments');
    await expect(panelC.locator('details.comment-thread.resolved')).toBeVisible();
    await expect(panelB.getByTestId('comment-count')).toHaveAttribute('aria-label', /0 open/);
    await sectionA.screenshot({ path: `${SCRATCH}/panel-resolved-${testInfo.project.name}.png` });
    await resolvedB.locator('summary').click();
    await expect(resolvedB.getByText(/Resolved by Ana Lim/)).toBeVisible();
    await resolvedB.getByRole('button', { name: 'Reopen' }).click();
    await expect(panelA.locator('details.comment-thread.resolved')).toHaveCount(0);
    await expect(threadA.getByRole('button', { name: 'Resolve' })).toBeVisible();
  } finally {
    await visitorContext.close();
  }
});
