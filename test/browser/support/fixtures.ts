import { test as base, expect } from '@playwright/test';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from '@playwright/test';

import { ADMIN, ApiClient, endSessionOf, waitOutRateLimit } from './api';
import type { Account } from './api';
import { DESKTOP, PHONE } from './chromium';
import { readSystem } from './system';
import type { SystemInfo } from './system';

export { expect };

/**
 * Signs in through the real sign-in page (the README's first account by default)
 * and waits until the console has taken over. Works from any page: it opens
 * `/login` when the page is not on it, and leaves `returnUrl` handling to the app.
 * The api allows 10 sign-ins a minute per address: for a page that only needs to
 * be signed in, use `openContext({ account })` instead, which reuses a session.
 */
export async function signIn(
  page: Page,
  email: string = ADMIN.email,
  password: string = ADMIN.password,
): Promise<void> {
  if (!new URL(page.url(), 'http://x').pathname.startsWith('/login')) {
    await page.goto('/login');
  }
  for (let attempt = 1; ; attempt++) {
    await page.getByTestId('login-email').fill(email);
    await page.getByTestId('login-password').fill(password);
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/auth/login') && r.request().method() === 'POST');
    await page.getByTestId('login-submit').click();
    const response = await answer;
    if (response.status() === 429 && attempt < 3) {
      await waitOutRateLimit(response.headers()['retry-after']);
      continue;
    }
    expect(response.status(), `signing in as ${email}`).toBe(200);
    break;
  }
  await expect(page).not.toHaveURL(/\/login(\?|$)/);
  await expect(page.getByTestId('user-menu')).toContainText(email);
}

export interface OpenContextOptions {
  /** Signed in as this account (a reused session, no sign-in page); default the admin. `null`: not signed in. */
  account?: Account | null;
  /** 390×844 touch phone instead of a 1280×800 desktop. */
  phone?: boolean;
  /** Anything else for `browser.newContext`. */
  options?: BrowserContextOptions;
}

export interface OpenedContext {
  context: BrowserContext;
  page: Page;
}

export interface BrowserFixtures {
  /** Admin REST calls from Node (create operators, links, credentials; sandbox control plane). */
  api: ApiClient;
  /** A REST client signed in as any account (one session per account per worker). */
  apiAs: (account: Account) => Promise<ApiClient>;
  /**
   * Another browser context (a second operator, a phone, an end user), closed
   * after the test. Signed in as the admin unless `account` says otherwise.
   */
  openContext: (options?: OpenContextOptions) => Promise<OpenedContext>;
  /** Ends a context's session from outside the page (as an expiry would); default the test's own context. */
  endSession: (context?: BrowserContext) => Promise<void>;
}

export interface BrowserWorkerFixtures {
  /** What global setup started: URLs, the sandbox key, log files. */
  system: SystemInfo;
  /** Signed-in REST clients by e-mail, reused across the worker's tests. */
  sessions: Map<string, ApiClient>;
}

export const test = base.extend<BrowserFixtures, BrowserWorkerFixtures>({
  system: [
    // Playwright reads a fixture's dependencies from its first parameter: `{}` is "none".
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      await use(readSystem());
    },
    { scope: 'worker' },
  ],
  sessions: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const sessions = new Map<string, ApiClient>();
      await use(sessions);
      await Promise.all([...sessions.values()].map((client) => client.dispose()));
    },
    { scope: 'worker' },
  ],
  baseURL: async ({ system }, use) => {
    await use(system.baseURL);
  },
  apiAs: async ({ system, sessions }, use) => {
    await use(async (account) => {
      const known = sessions.get(account.email);
      if (known && known.account.password === account.password && (await known.isSignedIn())) {
        return known;
      }
      await known?.dispose();
      const client = await ApiClient.login(system.baseURL, account);
      sessions.set(account.email, client);
      return client;
    });
  },
  api: async ({ apiAs }, use) => {
    await use(await apiAs({ ...ADMIN }));
  },
  openContext: async ({ browser, system, apiAs }, use) => {
    const opened: BrowserContext[] = [];
    await use(async ({ account = { ...ADMIN }, phone = false, options = {} } = {}) => {
      const context = await newContext(browser, system.baseURL, {
        ...(phone ? { viewport: PHONE, isMobile: true, hasTouch: true } : { viewport: DESKTOP }),
        ...(account ? { storageState: await (await apiAs(account)).storageState() } : {}),
        ...options,
      });
      opened.push(context);
      return { context, page: await context.newPage() };
    });
    await Promise.all(opened.map((context) => context.close()));
  },
  endSession: async ({ context, system }, use) => {
    await use((which = context) => endSessionOf(which, system.baseURL));
  },
});

function newContext(browser: Browser, baseURL: string, options: BrowserContextOptions): Promise<BrowserContext> {
  return browser.newContext({ baseURL, locale: 'en-US', timezoneId: 'UTC', ...options });
}
