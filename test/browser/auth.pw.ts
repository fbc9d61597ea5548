import { ADMIN, expect, expectNoSeriousA11yViolations, screenshot, signIn, test } from './support';

test.describe('signing in and out', () => {
  test('the sign-in page passes axe on a desktop and a phone', async ({ page, openContext }) => {
    await page.goto('/login');
    await expect(page.getByRole('heading', { name: 'Sign in to the console' })).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'login');
    await screenshot(page, 'login');

    const phone = await openContext({ phone: true, account: null });
    await phone.page.goto('/login');
    await expect(phone.page.getByRole('heading', { name: 'Sign in to the console' })).toBeVisible();
    await expectNoSeriousA11yViolations(phone.page, 'login-phone');
    await screenshot(phone.page, 'login');
  });

  test("the README's first account lands on the credentials, with its e-mail and role in the header", async ({
    page,
  }) => {
    await page.goto('/');
    await expect(page).toHaveURL(/\/login\b/);

    await signIn(page, ADMIN.email, ADMIN.password);

    await expect(page).toHaveURL(/\/credentials$/);
    const who = page.getByTestId('user-menu');
    await expect(who).toContainText(ADMIN.email);
    await expect(who).toContainText('admin');
  });

  test('a wrong password is refused in words and nothing opens', async ({ page }) => {
    await page.goto('/login');
    await page.getByTestId('login-email').fill(ADMIN.email);
    await page.getByTestId('login-password').fill('not-the-password');
    await page.getByTestId('login-submit').click();

    const error = page.getByTestId('login-error');
    await expect(error).toBeVisible();
    await expect(error).toHaveText(/\w+ \w+ \w+/); // a sentence, not a code
    await expect(error).not.toHaveText(/unauthenticated|401/);
    await expect(page.getByTestId('login-password')).toHaveValue('');
    await expect(page).toHaveURL(/\/login$/);
    expect((await page.request.get('/api/auth/me')).status()).toBe(401);
  });

  test('a deep link without a session goes to sign-in and comes back after it', async ({ page }) => {
    await page.goto('/events');
    await expect(page).toHaveURL(/\/login\?returnUrl=%2Fevents$/);

    await signIn(page);

    await expect(page).toHaveURL(/\/events$/);
  });

  test('signing out returns to sign-in and the console is no longer reachable', async ({ page }) => {
    await signIn(page);
    await expect(page).toHaveURL(/\/credentials$/);

    await page.getByTestId('user-menu').click();
    await page.getByTestId('sign-out').click();

    await expect(page).toHaveURL(/\/login/);
    expect((await page.request.get('/api/auth/me')).status()).toBe(401);
    await page.goto('/credentials');
    await expect(page).toHaveURL(/\/login\?returnUrl=%2Fcredentials$/);
    await expect(page.getByTestId('user-menu')).toHaveCount(0);
  });

  test('a session that ends under the page leads to sign-in with a notice, then back', async ({ page, endSession }) => {
    const pageErrors: Error[] = [];
    page.on('pageerror', (error) => pageErrors.push(error));
    await signIn(page);
    await expect(page).toHaveURL(/\/credentials$/);

    await endSession();
    // The next request the page makes is refused (401): here, opening another page of the console.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Events' }).click();

    await expect(page).toHaveURL(/\/login\?returnUrl=%2Fevents$/);
    await expect(page.getByRole('status')).toContainText('Your session ended');
    await expect(page.getByRole('heading', { name: 'Sign in to the console' })).toBeVisible();

    await signIn(page);
    await expect(page).toHaveURL(/\/events$/);
    await expect(page.getByRole('status').filter({ hasText: 'Your session ended' })).toHaveCount(0);
    expect(pageErrors.map((e) => e.message)).toEqual([]);
  });
});
