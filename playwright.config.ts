import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests in a real Chromium against the real server (started by globalSetup on port 0
 * with each storage back end). CHROMIUM_PATH overrides the browser; the flags keep Chromium
 * from reaching for the network on machines that have none.
 */
export default defineConfig({
  testDir: 'tests/e2e',
  globalSetup: './tests/e2e/globalSetup.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  // Every spec runs once per storage back end; globalSetup starts one server for each.
  projects: [{ name: 'pglite' }, { name: 'postgresql' }],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    viewport: { width: 1400, height: 900 },
    timezoneId: 'UTC',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
