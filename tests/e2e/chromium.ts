/**
 * How every browser here is launched (the e2e tests and the browser benchmarks): the Debian
 * Chromium (CHROMIUM_PATH overrides it), with flags that keep it from reaching for the network on
 * machines that have none.
 */
export const CHROMIUM_LAUNCH = {
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
};
