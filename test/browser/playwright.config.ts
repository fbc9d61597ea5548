import { defineConfig } from '@playwright/test';
import { join } from 'node:path';

import { CHROMIUM_ARGS, CHROMIUM_PATH, DESKTOP } from './support/chromium';
import { RESULTS_DIR } from './support/system';

/**
 * The browser suite: the real sandbox + api + built dashboard (started once by
 * global-setup.ts on free ports), driven in Debian's headless chromium.
 * Run: `npm run test:browser` (builds first) or `npx playwright test -c test/browser/playwright.config.ts`.
 */
export default defineConfig({
  testDir: __dirname,
  testMatch: '**/*.pw.ts',
  globalSetup: join(__dirname, 'global-setup.ts'),
  globalTeardown: join(__dirname, 'global-teardown.ts'),
  // Two files at a time (tests make their own data, so files never disturb each other; a file's tests
  // still run in order): most of a test is waiting on the api, the sandbox and the page, not on a core.
  workers: 2,
  fullyParallel: false,
  retries: 0,
  forbidOnly: true,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json', { outputFile: join(RESULTS_DIR, 'playwright.json') }]],
  outputDir: join(RESULTS_DIR, 'playwright'),
  use: {
    // Set by global setup before the workers start; the `baseURL` fixture also reads it from the system file.
    baseURL: process.env.DECKHAND_BASE_URL,
    browserName: 'chromium',
    headless: true,
    viewport: DESKTOP,
    locale: 'en-US',
    timezoneId: 'UTC',
    actionTimeout: 15_000,
    navigationTimeout: 20_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
  },
});
