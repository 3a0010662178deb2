import { defineConfig } from '@playwright/test';
import { CHROMIUM_LAUNCH } from './tests/e2e/chromium';

/**
 * End-to-end tests in a real Chromium against the real server (started by globalSetup on port 0
 * with each storage back end). CHROMIUM_PATH overrides the browser; the flags keep Chromium
 * from reaching for the network on machines that have none.
 */
/** Specs that also run against PostgreSQL: they persist, reload or authorize stored data. */
const STORAGE_SENSITIVE_SPECS = [
  'access',
  'collaboration',
  'comments',
  'history',
  'import',
  'offline',
  'timelines',
];

export default defineConfig({
  testDir: 'tests/e2e',
  globalSetup: './tests/e2e/globalSetup.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  // globalSetup starts one server per storage back end. Every spec runs on PGlite (what
  // `npm start` uses); the specs whose outcome depends on what is stored and read back run on
  // PostgreSQL too. Editor-only specs (axis, panel, lanes, layout, connection, home) exercise the
  // browser and the live document, which are the same on both, so they run once to keep CI short.
  projects: [
    { name: 'pglite' },
    {
      name: 'postgresql',
      testMatch: STORAGE_SENSITIVE_SPECS.map((spec) => `**/${spec}.spec.ts`),
    },
  ],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    viewport: { width: 1400, height: 900 },
    timezoneId: 'UTC',
    launchOptions: CHROMIUM_LAUNCH,
  },
});
