/**
 * Shared Playwright fixtures: the server URL from globalSetup, seed helpers that go through the
 * REST API, and page helpers that wait for the live connection.
 */
import {
  type BrowserContext,
  type BrowserContextOptions,
  test as base,
  expect,
  type Locator,
  type Page,
} from '@playwright/test';
import type { E2eAuth, PersonName } from './people';

type StorageState = Exclude<BrowserContextOptions['storageState'], string | undefined>;

/** A browser storage state holding one account's session cookie for the server at `baseURL`. */
export function signedInState(auth: E2eAuth, who: PersonName, baseURL: string): StorageState {
  const cookie = auth.cookies[who];
  if (!cookie) throw new Error(`no account named ${who} (see tests/e2e/people.ts)`);
  return sessionState(cookie, baseURL);
}

/** A browser storage state holding a session cookie (`cb_session=…`) for the server at `baseURL`. */
export function sessionState(cookie: string, baseURL: string): StorageState {
  const [name, value] = cookie.split('=', 2) as [string, string];
  return {
    cookies: [
      {
        name,
        value,
        // Cookies belong to a host, not a port: the same state works through the test proxies.
        domain: new URL(baseURL).hostname,
        path: '/',
        expires: -1,
        httpOnly: true,
        secure: false,
        sameSite: 'Lax',
      },
    ],
    origins: [],
  };
}

export const test = base.extend<{
  auth: E2eAuth;
  /** A new browser context signed in as `who` (at `baseURL`, default the project's server). */
  contextAs: (who: PersonName, baseURL?: string) => Promise<BrowserContext>;
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
  // biome-ignore lint/correctness/noEmptyPattern: Playwright requires an object pattern here
  auth: async ({}, use, testInfo) => {
    const raw = process.env[`E2E_AUTH_${testInfo.project.name.toUpperCase()}`];
    if (!raw) throw new Error('no accounts for this project: run through playwright.config.ts');
    await use(JSON.parse(raw) as E2eAuth);
  },
  // The default page is signed in as the test admin.
  storageState: async ({ auth, baseURL }, use) => {
    await use(signedInState(auth, 'Test Admin', baseURL!));
  },
  contextAs: async ({ browser, auth, baseURL, cspViolations }, use) => {
    const contexts: BrowserContext[] = [];
    await use(async (who, url = baseURL!) => {
      const context = await browser.newContext({
        baseURL: url,
        storageState: signedInState(auth, who, url),
      });
      context.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
      });
      contexts.push(context);
      return context;
    });
    for (const context of contexts) await context.close();
  },
  openTwo: async ({ contextAs }, use) => {
    await use(async (timelineId) => {
      const pages: Page[] = [];
      for (const who of ['Ana Lim', 'Ben Ode'] as const) {
        const context = await contextAs(who);
        const page = await context.newPage();
        await openTimeline(page, timelineId);
        pages.push(page);
      }
      return { a: pages[0]!, b: pages[1]! };
    });
  },
  createTimeline: async ({ request, auth }, use) => {
    await use(async (title) => {
      const response = await request.post('/api/timelines', {
        data: { title },
        headers: { authorization: `Bearer ${auth.token}` },
      });
      expect(response.status()).toBe(201);
      return ((await response.json()) as { id: string }).id;
    });
  },
});

export { expect };

/**
 * Opens a timeline and waits until the page is live (connected and synced). `search` is added to
 * the address: view-only visitors need `?view=timeline` (they land on the dashboard otherwise).
 */
export async function openTimeline(page: Page, id: string, search = ''): Promise<void> {
  await page.goto(`/t/${id}${search}`);
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');
  await expect(page.getByTestId('timeline').locator('.vis-timeline')).toBeVisible();
}

/** The rendered timeline item of an event (its content element). */
export function timelineItem(page: Page, eventId: string) {
  return page.locator(`.vis-item .vis-item-content [data-event-id="${eventId}"]`);
}

/** The draggable vis element of an event: `.vis-point` for points, `.vis-range` for ranges. */
export function itemBox(
  page: Page,
  eventId: string,
  type: 'point' | 'range' | 'background' = 'point',
) {
  return page.locator(`.vis-item.vis-${type}`, {
    has: page.locator(`[data-event-id="${eventId}"]`),
  });
}

/** The table row of an event. */
export function tableRow(page: Page, eventId: string) {
  return page.locator(`[data-testid=event-table] tr[data-event-id="${eventId}"]`);
}

/**
 * The bounding box of `locator` once the layout has settled: two animation frames later it is
 * where it was. A click that opens the event panel narrows the axis, so an item moves a moment
 * after it was clicked; a drag from where it was before misses it and moves nothing.
 */
export async function settledBox(page: Page, locator: Locator) {
  let bounds = (await locator.boundingBox())!;
  await expect
    .poll(async () => {
      await page.evaluate(
        () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))),
      );
      const now = (await locator.boundingBox())!;
      const settled = now.x === bounds.x && now.y === bounds.y && now.width === bounds.width;
      bounds = now;
      return settled;
    })
    .toBe(true);
  return bounds;
}
