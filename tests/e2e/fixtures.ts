/**
 * Shared Playwright fixtures: the server URL from globalSetup, seed helpers that go through the
 * REST API, and page helpers that wait for the live connection.
 */
import { type BrowserContext, test as base, expect, type Page } from '@playwright/test';

export const test = base.extend<{
  createTimeline: (title: string) => Promise<string>;
  cspViolations: string[];
  /** Two analysts, each in their own browser context, both live on the timeline. */
  openTwo: (timelineId: string) => Promise<{ a: Page; b: Page }>;
}>({
  // Every test's page fails if the browser reports a Content-Security-Policy violation.
  cspViolations: [
    async ({ page }, use) => {
      const violations: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
      });
      await use(violations);
      expect(violations).toEqual([]);
    },
    { auto: true },
  ],
  // biome-ignore lint/correctness/noEmptyPattern: Playwright requires an object pattern here
  baseURL: async ({}, use, testInfo) => {
    const url = process.env[`E2E_BASE_URL_${testInfo.project.name.toUpperCase()}`];
    if (!url)
      throw new Error('no server for this project: run through playwright.config.ts (globalSetup)');
    await use(url);
  },
  openTwo: async ({ browser, baseURL, cspViolations }, use) => {
    const contexts: BrowserContext[] = [];
    await use(async (timelineId) => {
      const pages: Page[] = [];
      for (let i = 0; i < 2; i++) {
        const context = await browser.newContext({ baseURL });
        contexts.push(context);
        const page = await context.newPage();
        page.on('console', (message) => {
          if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
        });
        await openTimeline(page, timelineId);
        pages.push(page);
      }
      return { a: pages[0]!, b: pages[1]! };
    });
    for (const context of contexts) await context.close();
  },
  createTimeline: async ({ request }, use) => {
    await use(async (title) => {
      const response = await request.post('/api/timelines', { data: { title } });
      expect(response.status()).toBe(201);
      return ((await response.json()) as { id: string }).id;
    });
  },
});

export { expect };

/** Opens a timeline and waits until the page is live (connected and synced). */
export async function openTimeline(page: Page, id: string): Promise<void> {
  await page.goto(`/t/${id}`);
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');
  await expect(page.getByTestId('timeline').locator('.vis-timeline')).toBeVisible();
}

/** The rendered timeline item of an event (its content element). */
export function timelineItem(page: Page, eventId: string) {
  return page.locator(`.vis-item .vis-item-content [data-event-id="${eventId}"]`);
}

/** The draggable vis element of an event: `.vis-box` for points, `.vis-range` for ranges. */
export function itemBox(page: Page, eventId: string, type: 'box' | 'range' | 'background' = 'box') {
  return page.locator(`.vis-item.vis-${type}`, {
    has: page.locator(`[data-event-id="${eventId}"]`),
  });
}

/** The table row of an event. */
export function tableRow(page: Page, eventId: string) {
  return page.locator(`[data-testid=event-table] tr[data-event-id="${eventId}"]`);
}
