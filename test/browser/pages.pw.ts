import { randomUUID } from 'node:crypto';

import type { ElementHandle, Locator, Page } from '@playwright/test';

import type { CredentialView, InteractionView } from '@app/contracts';

import { expect, expectNoSeriousA11yViolations, screenshot, test } from './support';
import type { ApiClient } from './support';
import { waitForOpenPrompt, waitForRunsSettled, waitForStatus } from './support/waits';

/**
 * A tour of every page as a person sees it, with data on it: each page's real
 * content (not its skeleton), axe-core on it, and a screenshot at 1280×800 and
 * at 390×844 into `.test-results/screenshots/` (named after the page).
 */
test.describe('every page, with data', () => {
  test('sign-in page', async ({ openContext }) => {
    const { page } = await openContext({ account: null });
    await page.goto('/login');
    await expect(page.getByRole('heading', { name: 'Sign in to the console' })).toBeVisible();
    await expect(page.getByTestId('login-email')).toBeVisible();
    await expectPageChecked(page, 'login');
  });

  test('credentials: the table with every kind of status, and its keyboard path', async ({ api, openContext }) => {
    test.setTimeout(90_000);
    const mine = await credentialsOfEveryKind(api);
    const { page } = await openContext();
    await page.goto('/credentials');

    const table = page.getByTestId('credentials-table');
    await expect(table).toHaveAttribute('aria-busy', 'false');
    for (const credential of Object.values(mine)) {
      const row = page.locator(`[data-testid="credential-row"][data-id="${credential.id}"]`);
      await expect(row.locator('[data-status]')).toHaveAttribute('data-status', credential.status);
    }
    await expect(page.getByTestId('status-count').first()).not.toHaveText('–');
    await expectPageChecked(page, 'credentials');

    // Keyboard only, from the top of the page: the skip link, the navigation, the search box, a row.
    await page.goto('/credentials');
    await expect(page.getByTestId('credential-row').first()).toBeVisible();
    const seen = await tabUntil(page, (focused) => focused.testId === 'credential-link', 80);
    const names = seen.map((f) => f.name);
    const skip = seen.findIndex((f) => f.className.includes('skip-link'));
    const nav = seen.findIndex((f) => f.inMainNav && f.name.includes('Credentials'));
    const search = seen.findIndex((f) => f.testId === 'search-input');
    const row = seen.findIndex((f) => f.testId === 'credential-link');
    expect(skip, `Tab reaches the skip link first (focus went: ${names.join(' → ')})`).toBe(0);
    expect(nav, `Tab reaches the navigation (focus went: ${names.join(' → ')})`).toBeGreaterThan(skip);
    expect(search, `Tab reaches the search box (focus went: ${names.join(' → ')})`).toBeGreaterThan(nav);
    expect(row, `Tab reaches a row link (focus went: ${names.join(' → ')})`).toBeGreaterThan(search);
    for (const f of seen) {
      expect(f.visibleFocus, `focus is visible on ${f.name}`).toBe(true);
    }

    // Enter on the focused row link opens that credential.
    const focusedLink = page.locator('[data-testid="credential-link"]:focus');
    const rowId = await focusedLink.locator('xpath=ancestor::tr').getAttribute('data-id');
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(new RegExp(`/credentials/${rowId}$`));
    await expect(page.getByTestId('credential-header')).toHaveAttribute('data-id', rowId ?? '');

    // The skip link moves focus past the header and navigation, into the page.
    await page.goto('/credentials');
    await expect(page.getByTestId('credential-row').first()).toBeVisible();
    await page.keyboard.press('Tab');
    await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
    await expect(page.getByRole('link', { name: 'Skip to content' })).toBeInViewport();
    await page.keyboard.press('Enter');
    await expect(page.locator('main#main')).toBeFocused();
  });

  test('one credential: verified, with its runs and history', async ({ api, openContext }) => {
    const { credential } = await api.createCredential({ username: 'user_good', external_id: freshId('good') });
    await waitForStatus(api, credential.id, 'verified');
    await waitForRunsSettled(api, credential.id);
    // A second check, so the time axis has more than one run on it.
    await api.verify(credential.id);
    await expect.poll(async () => (await api.credential(credential.id)).runs.length).toBe(2);
    await waitForRunsSettled(api, credential.id);

    const { page } = await openContext();
    await page.goto(`/credentials/${credential.id}`);
    await expect(page.getByTestId('credential-header')).toHaveAttribute('data-id', credential.id);
    await expect(page.getByTestId('credential-status').locator('[data-status]')).toHaveAttribute(
      'data-status',
      'verified',
    );
    await expect(page.getByTestId('run-row')).toHaveCount(2);
    await expect(page.getByTestId('run-row').first()).toHaveAttribute('data-status', 'completed');
    await expect(page.getByTestId('runs-chart').locator('canvas')).toBeVisible();
    await expect(page.getByTestId('timeline-entry').first()).toBeVisible();
    await expect(page.getByTestId('verify-button')).toBeEnabled();
    await expectPageChecked(page, 'credential-detail');
  });

  test('one credential: waiting at an MFA prompt, answerable inline', async ({ api, openContext }) => {
    const { credential } = await api.createCredential({ username: 'user_mfa', external_id: freshId('mfa') });
    const prompt = await waitForOpenPrompt(api, credential.id);

    const { page } = await openContext();
    await page.goto(`/credentials/${credential.id}`);
    await expect(page.getByTestId('credential-header')).toHaveAttribute('data-id', credential.id);
    const open = page.getByTestId('open-prompt');
    await expect(open).toHaveAttribute('data-interaction-id', prompt.id);
    await expect(open.getByTestId('prompt-message')).toHaveText(prompt.prompt.message);
    await expect(open.getByRole('textbox', { name: 'Verification code' })).toBeVisible();
    await expectPageChecked(page, 'credential-detail-prompt');
  });

  test('prompts: the queue with an open prompt', async ({ api, openContext }) => {
    const externalId = freshId('queue');
    const { credential } = await api.createCredential({ username: 'user_mfa', external_id: externalId });
    const prompt = await waitForOpenPrompt(api, credential.id);

    const { page } = await openContext();
    await page.goto('/interactions');
    await expect(page.getByTestId('prompt-queue')).toHaveAttribute('aria-busy', 'false');
    const item = queueItemFor(page, prompt, externalId);
    await expect(item.getByTestId('prompt-message')).toHaveText(prompt.prompt.message);
    await expect(item.getByTestId('answer-submit')).toBeVisible();
    await expect(page.getByTestId('queue-count')).toBeVisible();
    await expectPageChecked(page, 'interactions');
  });

  test('events: received webhooks, one opened to its payload', async ({ api, openContext }) => {
    const { credential } = await api.createCredential({ username: 'user_good', external_id: freshId('events') });
    await waitForStatus(api, credential.id, 'verified');

    const { page } = await openContext();
    await page.goto('/events');
    const rows = page.getByTestId('event-row');
    await expect(rows.first()).toBeVisible();
    await expect(page.getByTestId('events-table')).toHaveAttribute('aria-busy', 'false');

    const first = rows.first();
    const type = await first.getAttribute('data-type');
    await first.getByTestId('event-expand').click();
    await expect(first.getByTestId('event-expand')).toHaveAttribute('aria-expanded', 'true');
    const payload = page.getByTestId('event-payload');
    await expect(payload).toBeVisible();
    // The payload as Deck sent it, readable: its event type is in it.
    await expect(payload).toContainText(type ?? '');
    await expect(payload.locator('.skeleton')).toHaveCount(0);
    await expectPageChecked(page, 'events');
  });

  test('sandbox: every control, loaded', async ({ api, openContext }) => {
    // Late in a run the attempts card lists up to 200 rows (every test's webhooks): one axe scan of it
    // took 25–40 s on a busy two-core machine, and the page is scanned twice (desktop and phone).
    test.setTimeout(180_000);
    // Something for the attempts card and the trigger card's credential list.
    const { credential } = await api.createCredential({ username: 'user_good', external_id: freshId('sandbox') });
    await waitForStatus(api, credential.id, 'verified');

    const { page } = await openContext();
    await page.goto('/sandbox');
    await expect(page.getByRole('heading', { name: 'Sandbox', level: 1 })).toBeVisible();
    await expect(page.getByTestId('catalogue-picker').locator('[data-username="user_mfa"]')).toBeVisible();
    await expect(page.getByTestId('clock-now')).toBeVisible();
    await expect(page.getByTestId('faults-card').getByTestId('faults-form')).toBeVisible();
    await expect(page.getByTestId('attempt-row').first()).toBeVisible();
    await expect(page.getByTestId('scenarios-card')).toBeVisible();
    await expect(page.getByTestId('reset-button')).toBeVisible();
    await expectPageChecked(page, 'sandbox');
  });

  test('operators: accounts with every role, and the audit log (admin)', async ({ api, openContext }) => {
    const [operator, viewer] = await Promise.all([api.createOperator('operator'), api.createOperator('viewer')]);

    const { page } = await openContext();
    await page.goto('/operators');
    await expect(page.locator(`[data-testid="operator-row"][data-email="${operator.email}"]`)).toBeVisible();
    await expect(page.locator(`[data-testid="operator-row"][data-email="${viewer.email}"]`)).toBeVisible();
    await expect(page.getByTestId('operator-you')).toBeVisible();
    await expect(page.getByTestId('audit-row').first()).toBeVisible();
    await expect(page.getByTestId('audit-table')).toHaveAttribute('aria-busy', 'false');
    await expectPageChecked(page, 'operators');
  });

  test("connect: an end user's link, on a phone and a desktop", async ({ api, openContext }) => {
    const link = await api.createLink(freshId('connect'));
    for (const phone of [true, false]) {
      const { page } = await openContext({ phone, account: null });
      await page.goto(link.url);
      await expect(page.getByTestId('connect-step')).toHaveAttribute('data-step', 'details');
      await expect(page.getByTestId('login-username')).toBeVisible();
      await expect(page.locator('.skeleton')).toHaveCount(0);
      await expectNoSeriousA11yViolations(page, phone ? 'connect-phone' : 'connect');
      await screenshot(page, 'connect');
    }
  });

  test('not found: an address that is no page', async ({ openContext }) => {
    const { page } = await openContext();
    await page.goto('/no-such-page');
    await expect(page.getByRole('heading', { name: 'Page not found', level: 1 })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Go to credentials' })).toBeVisible();
    await expectPageChecked(page, 'not-found');

    await page.getByRole('link', { name: 'Go to credentials' }).click();
    await expect(page).toHaveURL(/\/credentials$/);
  });
});

/** Nothing still loading, axe at both sizes, and both screenshots. */
async function expectPageChecked(page: Page, name: string): Promise<void> {
  await expect(page.locator('.skeleton'), `${name}: still loading`).toHaveCount(0);
  await expectNoSeriousA11yViolations(page, name);
  const size = page.viewportSize();
  await screenshot(page, name, { phone: true });
  // axe at phone size too: cards instead of tables, a drawer instead of the side navigation.
  await page.setViewportSize({ width: 390, height: 844 });
  try {
    await expect(page.locator('.skeleton')).toHaveCount(0);
    await expectNoSeriousA11yViolations(page, `${name}-phone`);
  } finally {
    if (size) {
      await page.setViewportSize(size);
    }
  }
}

/** One credential of each kind the sandbox makes, each settled where it stays. */
async function credentialsOfEveryKind(api: ApiClient): Promise<Record<string, CredentialView>> {
  const created = await Promise.all(
    (['user_good', 'user_bad', 'user_mfa', 'user_source_down'] as const).map(async (username) => {
      const { credential } = await api.createCredential({ username, external_id: freshId(username.slice(5)) });
      return [username, credential] as const;
    }),
  );
  const byName = Object.fromEntries(created);
  await Promise.all([
    waitForStatus(api, byName.user_good.id, 'verified'),
    waitForStatus(api, byName.user_bad.id, 'invalid'),
    waitForOpenPrompt(api, byName.user_mfa.id),
    waitForRunsSettled(api, byName.user_source_down.id),
  ]);
  const settled = await Promise.all(created.map(async ([name, c]) => [name, (await api.credential(c.id)).credential]));
  return Object.fromEntries(settled) as Record<string, CredentialView>;
}

function queueItemFor(page: Page, prompt: InteractionView, externalId: string): Locator {
  return page.getByTestId('queue-item').filter({ hasText: externalId }).filter({ hasText: prompt.prompt.message });
}

function freshId(kind: string): string {
  return `tour-${kind}-${randomUUID().slice(0, 6)}`;
}

interface Focused {
  name: string;
  testId: string | null;
  className: string;
  inMainNav: boolean;
  /** The element looks different focused than not (a ring, an outline, a state layer): compared in pixels. */
  visibleFocus: boolean;
}

type Clip = { x: number; y: number; width: number; height: number };

/**
 * Presses Tab from the top of the page until `done` holds for the focused
 * element (at most `limit` times), and returns what got focus on the way.
 * Each stop is shot focused and again once focus has moved on: a person must
 * be able to see where focus is, so the two pictures must differ.
 */
async function tabUntil(page: Page, done: (focused: Focused) => boolean, limit: number): Promise<Focused[]> {
  const seen: Focused[] = [];
  let previous: { focused: Focused; element: ElementHandle; shot: Buffer | null } | null = null;
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(describeFocus);
    if (previous) {
      // The same element, where it is now (focus moving on may have scrolled the page).
      const clip = await clipOf(previous.element, page);
      previous.focused.visibleFocus =
        previous.shot === null || clip === null || !(await shoot(page, clip)).equals(previous.shot);
      await previous.element.dispose();
      previous = null;
    }
    if (!focused) {
      continue;
    }
    seen.push(focused);
    if (done(focused)) {
      focused.visibleFocus = true; // not compared: the caller acts on it next
      return seen;
    }
    const element = await page.locator(':focus').elementHandle();
    if (element) {
      const clip = await clipOf(element, page);
      previous = { focused, element, shot: clip ? await shoot(page, clip) : null };
    }
  }
  throw new Error(`Tab did not get there in ${limit} presses: ${seen.map((f) => f.name).join(' → ')}`);
}

/** The element's box on screen, with room for a ring drawn outside it; null when it is not on screen. */
async function clipOf(element: ElementHandle, page: Page): Promise<Clip | null> {
  const box = await element.boundingBox();
  if (!box || box.width === 0 || box.height === 0) {
    return null;
  }
  const view = page.viewportSize() ?? { width: 1280, height: 800 };
  const x = Math.max(0, box.x - 3);
  const y = Math.max(0, box.y - 3);
  const width = Math.min(view.width, box.x + box.width + 3) - x;
  const height = Math.min(view.height, box.y + box.height + 3) - y;
  return width > 0 && height > 0 ? { x, y, width, height } : null;
}

function shoot(page: Page, clip: Clip): Promise<Buffer> {
  return page.screenshot({ clip, animations: 'disabled', caret: 'hide' });
}

/** Runs in the page: the focused element, named roughly as a screen reader would. */
function describeFocus(): Focused | null {
  type El = {
    tagName: string;
    className: string | { baseVal: string };
    textContent: string | null;
    getAttribute(name: string): string | null;
    closest(selector: string): unknown;
  };
  const doc = (globalThis as unknown as { document: { activeElement: El | null; body: El } }).document;
  const el = doc.activeElement;
  if (!el || el === doc.body) {
    return null;
  }
  const className = typeof el.className === 'string' ? el.className : el.className.baseVal;
  const label = el.getAttribute('aria-label') ?? el.textContent?.replace(/\s+/g, ' ').trim() ?? '';
  return {
    name: `${el.tagName.toLowerCase()}${label ? ` "${label.slice(0, 40)}"` : ''}`,
    testId: el.getAttribute('data-testid'),
    className,
    inMainNav: el.closest('nav[aria-label="Main"]') !== null,
    visibleFocus: false,
  };
}
