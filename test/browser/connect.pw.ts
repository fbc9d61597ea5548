import { randomUUID } from 'node:crypto';

import type { Locator, Page } from '@playwright/test';

import { expect, expectNoSeriousA11yViolations, PHONE, screenshot, test } from './support';
import type { OpenedContext } from './support';

/**
 * The end user's connect page, as the end user meets it: on their phone, from a
 * link an operator copied in the console, with no operator session and no
 * operator navigation; Deck's auth flow through to verified or rejected.
 */
test.describe('the connect page on a phone', () => {
  test("from an operator's copied link through an MFA prompt (a wrong code first) to verified", async ({
    openContext,
  }) => {
    test.setTimeout(90_000);
    const externalId = `connect-${randomUUID().slice(0, 8)}`;
    const url = await copyConnectLinkInConsole(await openContext(), externalId);

    const phone = await openContext({ phone: true, account: null });
    const page = phone.page;
    expect(page.viewportSize()).toEqual(PHONE);
    await page.goto(url);
    const step = page.getByTestId('connect-step');

    // The link's secret leaves the address bar (and the history) as soon as the page has it.
    await expect(step).toHaveAttribute('data-step', 'details');
    await expect(page).toHaveURL(/\/connect$/);
    expect(page.url()).not.toContain('token');
    await expectEndUserPage(page);
    await expectNoSeriousA11yViolations(page, 'connect-form');
    await screenshot(page, 'connect-form');

    await fillLogin(page, 'user_mfa');
    await page.getByTestId('login-submit').click();

    // Saved, then waiting while the source checks the login.
    await expect(step).toHaveAttribute('data-step', /^(saving|waiting)$/);
    await expect(step).toHaveAttribute('data-step', 'waiting');
    await expect(page.getByTestId('connect-status')).toBeVisible();
    await screenshot(page, 'connect-waiting');
    await expectNoSeriousA11yViolations(page, 'connect-waiting');
    await expectEndUserPage(page);

    // The source asks for a code: a form built from the prompt's fields.
    const prompt = page.getByTestId('connect-prompt');
    await expect(step).toHaveAttribute('data-step', 'prompt');
    await expect(prompt.getByTestId('prompt-message')).toHaveText('Enter the 6-digit code sent to your phone.');
    const code = prompt.getByRole('textbox', { name: 'Verification code' });
    await expect(code).toBeFocused();
    await expectEndUserPage(page);
    await expectNoSeriousA11yViolations(page, 'connect-mfa');
    await screenshot(page, 'connect-mfa');

    // A wrong code: the source asks again, and the page says so.
    const firstPromptId = await prompt.getAttribute('data-prompt-id');
    await code.fill('000000');
    await prompt.getByTestId('answer-submit').click();
    await expect(page.getByTestId('connect-retry-notice')).toContainText('try again');
    await expect(prompt).not.toHaveAttribute('data-prompt-id', firstPromptId ?? '');
    await expect(step).toHaveAttribute('data-step', 'prompt');
    await expect(prompt.getByTestId('prompt-message')).toContainText('not accepted');
    await expectNoSeriousA11yViolations(page, 'connect-mfa-retry');
    await screenshot(page, 'connect-mfa-retry');

    // The right code, sent with Enter as a person on a phone keyboard would.
    await prompt.getByRole('textbox', { name: 'Verification code' }).fill('123456');
    await prompt.getByRole('textbox', { name: 'Verification code' }).press('Enter');
    await expect(page.getByTestId('connect-verified')).toBeVisible({ timeout: 20_000 });
    await expect(step).toHaveAttribute('data-step', 'verified');
    await expectEndUserPage(page);
    await expectNoSeriousA11yViolations(page, 'connect-verified');
    await screenshot(page, 'connect-verified');
  });

  test('a user_bad login is rejected, and updated details are verified', async ({ api, openContext }) => {
    test.setTimeout(90_000);
    const link = await api.createLink(`connect-${randomUUID().slice(0, 8)}`);
    const { page } = await openContext({ phone: true, account: null });
    await page.goto(link.url);
    const step = page.getByTestId('connect-step');
    await expect(step).toHaveAttribute('data-step', 'details');

    await fillLogin(page, 'user_bad');
    await page.getByTestId('login-submit').click();

    await expect(page.getByTestId('connect-rejected')).toBeVisible({ timeout: 20_000 });
    await expect(step).toHaveAttribute('data-step', 'rejected');
    await expect(page.getByRole('heading', { level: 1 })).toContainText("didn't accept these details");
    // Updating keeps the source the credential is at: no source to pick again.
    await expect(page.getByTestId('source-select')).toHaveCount(0);
    await expect(page.getByTestId('login-submit')).toHaveText(/Update and check again/);
    await expectEndUserPage(page);
    await expectNoSeriousA11yViolations(page, 'connect-rejected');
    await screenshot(page, 'connect-rejected');

    await page.getByTestId('login-username').fill('user_good');
    await page.getByTestId('login-password').fill(`pw-${randomUUID()}`);
    await page.getByTestId('login-submit').click();

    await expect(page.getByTestId('connect-verified')).toBeVisible({ timeout: 20_000 });
    await expect(step).toHaveAttribute('data-step', 'verified');
    await expectEndUserPage(page);

    // The same credential was updated (not a second one made), and it is verified.
    const mine = await api.credentials(`external_id=${encodeURIComponent(link.external_id)}`);
    expect(mine.data).toHaveLength(1);
    expect(mine.data[0].status).toBe('verified');
  });

  test('an expired or unknown link says so in words, and passes axe', async ({ openContext }) => {
    const { page } = await openContext({ phone: true, account: null });
    await page.goto(`/connect#token=lnk_${randomUUID().replace(/-/g, '')}`);

    await expect(page.getByTestId('connect-step')).toHaveAttribute('data-step', 'expired');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('This link has expired — ask for a new one');
    await expect(page.getByTestId('connect-error')).toContainText('Ask whoever sent it to you for a new link');
    expect(page.url()).not.toContain('token');
    await expect(page.getByTestId('login-form')).toHaveCount(0);
    await expectEndUserPage(page);
    await expectNoSeriousA11yViolations(page, 'connect-expired');
    await screenshot(page, 'connect-expired');
  });
});

/**
 * The operator's side: the credentials page's "Copy connect link" dialog, for a
 * new end user (any source). Returns the link as the dialog shows it.
 */
async function copyConnectLinkInConsole({ page }: OpenedContext, externalId: string): Promise<string> {
  await page.goto('/credentials');
  await page.getByTestId('copy-link-button').click();
  const dialog = page.getByRole('dialog', { name: 'Copy connect link' });
  await dialog.getByTestId('link-external-id').fill(externalId);
  await dialog.getByTestId('create-link-button').click();
  const linkUrl = dialog.getByTestId('link-url');
  await expect(linkUrl).toHaveValue(/\/connect#token=\S+$/);
  await expect(dialog).toContainText(externalId);
  const url = await linkUrl.inputValue();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toHaveCount(0);
  return url;
}

/** Picks the source when the page asks (a link for any source), then types the login. */
async function fillLogin(page: Page, username: string): Promise<void> {
  const sourceSelect = page.getByTestId('source-select');
  if ((await sourceSelect.count()) > 0) {
    // A person taps the field (its floating label sits over the select until a value is chosen).
    await page.locator('mat-form-field', { has: sourceSelect }).click();
    await page.getByRole('option').first().click();
    await expect(page.getByRole('listbox')).toHaveCount(0);
    await expect(sourceSelect).not.toHaveText(/^\s*$/);
  }
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(`pw-${randomUUID()}`);
}

/** An end user's page: no operator chrome at all, and nothing wider than the phone. */
async function expectEndUserPage(page: Page): Promise<void> {
  const absent: Locator[] = [
    page.getByRole('navigation', { name: 'Main' }),
    page.getByTestId('prompt-badge'),
    page.getByTestId('user-menu'),
    page.getByTestId('connection-indicator'),
  ];
  for (const locator of absent) {
    await expect(locator).toHaveCount(0);
  }
  const width = await page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { scrollingElement: { scrollWidth: number } | null } }).document;
    return doc.scrollingElement?.scrollWidth ?? 0;
  });
  expect(width, 'the page scrolls sideways on a phone').toBeLessThanOrEqual(PHONE.width);
}
