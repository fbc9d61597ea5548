import type { Page } from '@playwright/test';

import type { ApiErrorBody } from '@app/contracts';

import { expect, test } from './support';
import type { ApiClient } from './support';
import { waitForOpenPrompt, waitForStatus } from './support/waits';

/**
 * A viewer-role operator: can watch everything, change nothing. The console
 * offers a viewer no action, and the api refuses the actions anyway.
 */
test.describe('a viewer', () => {
  test('sees no action buttons anywhere, and the api refuses the actions anyway', async ({ api, openContext }) => {
    test.setTimeout(90_000);
    const { mfa, bad, prompt } = await waitingAndRejectedCredentials(api);
    const viewer = await api.createOperator('viewer');
    const { page } = await openContext({ account: viewer });

    // The header says who is signed in, as what; the navigation has no admin or QA pages.
    await page.goto('/credentials');
    await expect(page.getByTestId('user-menu')).toContainText(viewer.email);
    await expect(page.getByTestId('user-menu')).toContainText('viewer');
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link', { name: 'Credentials' })).toBeVisible();
    await expect(nav.getByRole('link', { name: 'Events' })).toBeVisible();
    await expect(nav.getByRole('link', { name: 'Operators' })).toHaveCount(0);
    await expect(nav.getByRole('link', { name: 'Sandbox' })).toHaveCount(0);

    // The credentials list: rows, but no connect links to copy.
    await page.goto(`/credentials?q=${encodeURIComponent(mfa.external_id ?? '')}`);
    const row = page.locator(`[data-testid="credential-row"][data-id="${mfa.id}"]`);
    await expect(row).toBeVisible();
    await expect(row.getByTestId('credential-link')).toBeVisible();
    await expect(page.getByTestId('copy-link-button')).toHaveCount(0);
    await expect(page.getByTestId('row-link-button')).toHaveCount(0);

    // The waiting credential: its prompt is shown, not answerable; no actions.
    await row.getByTestId('credential-link').click();
    await expect(page).toHaveURL(new RegExp(`/credentials/${mfa.id}$`));
    await expect(page.getByTestId('credential-header')).toBeVisible();
    const openPrompt = page.getByTestId('open-prompt');
    await expect(openPrompt).toHaveAttribute('data-interaction-id', prompt.id);
    await expect(openPrompt.getByTestId('prompt-message')).toHaveText(prompt.prompt.message);
    await expect(openPrompt).toContainText('Only operators can answer prompts.');
    await expect(openPrompt.getByTestId('interaction-form')).toHaveCount(0);
    await expect(openPrompt.getByTestId('answer-submit')).toHaveCount(0);
    await expect(openPrompt.getByRole('textbox')).toHaveCount(0);
    await expectNoCredentialActions(page);

    // The rejected credential: its error in words, but nothing to update.
    await page.goto(`/credentials/${bad.id}`);
    await expect(page.getByTestId('credential-header')).toHaveAttribute('data-id', bad.id);
    await expect(page.getByTestId('credential-status').locator('[data-status]')).toHaveAttribute(
      'data-status',
      'invalid',
    );
    await expect(page.getByTestId('last-error')).toBeVisible();
    await expect(page.getByTestId('rejected-panel')).toHaveCount(0);
    await expectNoCredentialActions(page);

    // The prompt queue: the viewer's note, the prompt, no answer forms.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Prompts' }).click();
    await expect(page).toHaveURL(/\/interactions$/);
    await expect(page.getByTestId('viewer-note')).toContainText('Only operators can answer prompts');
    const item = page.locator(`[data-testid="queue-item"]`).filter({ hasText: mfa.external_id ?? '' });
    await expect(item).toBeVisible();
    await expect(item.getByTestId('prompt-message')).toHaveText(prompt.prompt.message);
    await expect(page.getByTestId('prompt-queue').getByTestId('interaction-form')).toHaveCount(0);
    await expect(page.getByTestId('prompt-queue').getByTestId('answer-submit')).toHaveCount(0);

    // Pages a viewer may not use send them back to the credentials.
    await page.goto('/operators');
    await expect(page).toHaveURL(/\/credentials$/);
    await expect(page.getByRole('heading', { name: 'Credentials', level: 1 })).toBeVisible();
    await page.goto('/sandbox');
    await expect(page).toHaveURL(/\/credentials$/);
    await expect(page.getByTestId('sandbox-page')).toHaveCount(0);
    await expect(page.getByTestId('catalogue-create')).toHaveCount(0);

    // The api refuses each action from the viewer's own browser session (cookies + XSRF header).
    const refusals: [string, string, unknown][] = [
      ['POST', `/api/credentials/${mfa.id}/verify`, {}],
      ['POST', `/api/credentials/${bad.id}/verify`, {}],
      ['DELETE', `/api/credentials/${mfa.id}`, undefined],
      ['DELETE', `/api/credentials/${bad.id}`, undefined],
      ['POST', `/api/task-runs/${prompt.task_run_id}/interaction`, { input: { code: '123456' } }],
      ['POST', '/api/links', { external_id: mfa.external_id }],
      ['POST', '/api/sandbox/reset', {}],
    ];
    for (const [method, path, body] of refusals) {
      const answer = await callFromPage(page, method, path, body);
      expect(answer.status, `${method} ${path} as a viewer`).toBe(403);
      expect(answer.body.code, `${method} ${path} as a viewer`).toBe('forbidden');
      expect(answer.body.message, `${method} ${path}: the refusal in words`).toMatch(/\w+ \w+/);
    }

    // …and nothing changed: both still there, as they were; the prompt still waits.
    expect((await api.credential(mfa.id)).credential.status).toBe('unverified');
    expect((await api.credential(bad.id)).credential.status).toBe('invalid');
    const stillOpen = await api.openInteractions();
    expect(stillOpen.map((i) => i.id)).toContain(prompt.id);
    expect((await api.credentials(`external_id=${encodeURIComponent(mfa.external_id ?? '')}`)).data).toHaveLength(1);
  });
});

/** A `user_mfa` credential waiting at its code prompt, and a `user_bad` one the source rejected. */
async function waitingAndRejectedCredentials(api: ApiClient) {
  const [mfaCreated, badCreated] = await Promise.all([
    api.createCredential({ username: 'user_mfa' }),
    api.createCredential({ username: 'user_bad' }),
  ]);
  const [prompt, bad] = await Promise.all([
    waitForOpenPrompt(api, mfaCreated.credential.id),
    waitForStatus(api, badCreated.credential.id, 'invalid'),
  ]);
  const mfa = (await api.credential(mfaCreated.credential.id)).credential;
  expect(mfa.status).toBe('unverified');
  return { mfa, bad, prompt };
}

/** None of an operator's buttons on a credential page. */
async function expectNoCredentialActions(page: Page): Promise<void> {
  for (const testId of ['verify-button', 'update-button', 'delete-button', 'copy-link-button']) {
    await expect(page.getByTestId(testId), `${testId} on a viewer's credential page`).toHaveCount(0);
  }
}

/**
 * A request from the page's own browser session, as a viewer who crafted it by
 * hand would send it: its cookies, and the XSRF token echoed as the app does.
 */
async function callFromPage(
  page: Page,
  method: string,
  path: string,
  body: unknown,
): Promise<{ status: number; body: ApiErrorBody }> {
  const cookies = await page.context().cookies();
  const xsrf = cookies.find((c) => c.name === 'XSRF-TOKEN')?.value;
  expect(xsrf, 'the viewer has an XSRF-TOKEN cookie').toBeTruthy();
  const response = await page.request.fetch(path, {
    method,
    headers: { 'X-XSRF-TOKEN': xsrf ?? '' },
    ...(body === undefined ? {} : { data: body }),
    failOnStatusCode: false,
  });
  return { status: response.status(), body: (await response.json()) as ApiErrorBody };
}
