import type { Locator, Page } from '@playwright/test';

import type { ApiClient } from './support';
import { expect, expectNoSeriousA11yViolations, screenshot, signIn, test } from './support';
import { credentialRow, freshExternalId, markDocument, promptBadgeCount } from './support/console-page';

/**
 * What an operator does all day, through the real console: a test credential
 * from the Sandbox page, its prompt answered in the queue (wrong, then right)
 * while another operator watches the row turn verified; a two-step prompt
 * answered on the credential's own page; a rejected login updated.
 */
test.describe('operator flows', () => {
  test('a user_mfa credential from the Sandbox page: prompt in the queue, wrong then right, verified live for another operator', async ({
    page,
    api,
    openContext,
  }) => {
    const externalId = freshExternalId('ops-mfa');
    const watcherAccount = await api.createOperator('operator');

    await signIn(page);
    const sameDocument = await markDocument(page);
    const nav = page.getByRole('navigation', { name: 'Main' });

    // The Sandbox page: pick user_mfa from the catalogue, name the end user, create.
    await nav.getByRole('link', { name: 'Sandbox' }).click();
    await expect(page).toHaveURL(/\/sandbox$/);
    const catalogue = page.getByTestId('catalogue-card');
    await catalogue.getByTestId('catalogue-picker').locator('[data-username="user_mfa"]').getByRole('radio').check();
    await catalogue.getByTestId('catalogue-external-id').fill(externalId);
    // The first source is picked for us once the sources have loaded.
    await expect(catalogue.getByTestId('catalogue-source')).toHaveText(/\S/);
    await catalogue.getByTestId('catalogue-create').click();
    const result = catalogue.getByTestId('catalogue-result');
    await expect(result).toContainText(`Created a user_mfa credential for ${externalId} and started its verification`);
    const href = await result.getByTestId('catalogue-open').getAttribute('href');
    const credentialId = /\/credentials\/([^/?#]+)$/.exec(href ?? '')?.[1];
    expect(credentialId, `the "open it" link (${href}) names the credential`).toBeTruthy();
    const id = credentialId as string;

    // The credentials page lists it, unverified (it waits for a code).
    await nav.getByRole('link', { name: 'Credentials' }).click();
    await page.getByTestId('search-input').fill(externalId);
    await expect(page).toHaveURL(new RegExp(`[?&]q=${externalId}`));
    await expect(credentialRow(page, id)).toHaveAttribute('data-status', 'unverified');
    await expect(credentialRow(page, id)).toContainText(externalId);

    // Another operator opens the same filtered view, and from now on does nothing.
    const watcher = await openContext({ account: watcherAccount });
    await watcher.page.goto(`/credentials?q=${encodeURIComponent(externalId)}`);
    const watchedRow = credentialRow(watcher.page, id);
    await expect(watchedRow).toHaveAttribute('data-status', 'unverified');
    const watcherSameDocument = await markDocument(watcher.page);

    // The prompt reaches the queue over the live feed (the console was loaded before the credential existed).
    await nav.getByRole('link', { name: 'Prompts' }).click();
    await expect(page).toHaveURL(/\/interactions$/);
    const item = queueItemOf(page, id);
    await expect(item).toHaveCount(1, { timeout: 20_000 });
    await expect(item.getByTestId('prompt-message')).toHaveText('Enter the 6-digit code sent to your phone.');
    await expect(item.getByTestId('queue-item-credential')).toContainText(externalId);
    await expectBadgeCountsMine(page, api, id, 1);
    await expectNoSeriousA11yViolations(page, 'queue-with-prompt');
    await screenshot(page, 'queue-with-prompt', { phone: true });

    // A wrong code: the item goes, and the sandbox's new prompt for the same run arrives live.
    const firstPromptId = await item.getAttribute('data-interaction-id');
    const runId = await item.getAttribute('data-run-id');
    await item.getByRole('textbox', { name: 'Verification code' }).fill('000000');
    await item.getByTestId('answer-submit').click();
    await expect(page.getByTestId('queue-notice')).toHaveText('Answer sent — the run continues.');
    const retry = page.locator(
      `[data-testid="queue-item"][data-run-id="${runId}"]:not([data-interaction-id="${firstPromptId}"])`,
    );
    await expect(retry).toHaveCount(1, { timeout: 20_000 });
    await expect(retry.getByTestId('prompt-message')).toContainText('not accepted');
    await expect(page.locator(`[data-testid="queue-item"][data-interaction-id="${firstPromptId}"]`)).toHaveCount(0);
    await expect(item).toHaveCount(1); // one prompt per credential, never the old and the new together
    await expectBadgeCountsMine(page, api, id, 1);
    await expect(watchedRow).toHaveAttribute('data-status', 'unverified');

    // The right code, sent with Enter: the item leaves the queue; the run goes on to verified.
    const code = retry.getByRole('textbox', { name: 'Verification code' });
    await code.fill('123456');
    await code.press('Enter');
    await expect(item).toHaveCount(0);
    await expectBadgeCountsMine(page, api, id, 0);

    // The other operator's row turned verified in place, without a reload.
    await expect(watchedRow).toHaveAttribute('data-status', 'verified', { timeout: 20_000 });
    await expect(watchedRow.locator('dh-status-chip [data-status]')).toHaveText(/verified/i);
    await watcherSameDocument();
    await sameDocument();
  });

  test('a user_mfa_question credential answered on its own page: the code, then the question that arrives live', async ({
    api,
    openContext,
  }) => {
    const account = await api.createOperator('operator');
    const { credential } = await api.createCredential({
      username: 'user_mfa_question',
      external_id: freshExternalId('ops-question'),
    });
    const { page } = await openContext({ account });
    await page.goto(`/credentials/${credential.id}`);
    await expect(page.getByTestId('credential-header')).toHaveAttribute('data-id', credential.id);
    const chip = statusChip(page);
    await expect(chip).toHaveAttribute('data-status', 'unverified');

    // The code first.
    const prompts = page.getByTestId('open-prompt');
    await expect(prompts).toHaveCount(1, { timeout: 20_000 });
    await expect(prompts.getByTestId('prompt-message')).toHaveText('Enter the 6-digit code sent to your phone.');
    await expectNoSeriousA11yViolations(page, 'credential-open-prompt');
    await screenshot(page, 'credential-open-prompt', { phone: true });
    const codePromptId = await prompts.getAttribute('data-interaction-id');
    await prompts.getByRole('textbox', { name: 'Verification code' }).fill('123456');
    await prompts.getByTestId('answer-submit').click();
    await expect(page.getByTestId('prompt-notice')).toHaveText('Answer sent — the run continues.');

    // Then the security question, in the same place, over the live feed.
    const question = page.locator(`[data-testid="open-prompt"]:not([data-interaction-id="${codePromptId}"])`);
    await expect(question).toHaveCount(1, { timeout: 20_000 });
    await expect(prompts).toHaveCount(1);
    await expect(question.getByTestId('prompt-message')).toHaveText('What was the name of your first pet?');
    const answer = question.getByRole('textbox', { name: 'Answer' });
    // The operator answered here, so the next prompt takes the focus.
    await expect(answer).toBeFocused();
    await answer.fill('Biscuit');
    await answer.press('Enter');

    await expect(chip).toHaveAttribute('data-status', 'verified', { timeout: 20_000 });
    await expect(prompts).toHaveCount(0);

    // The history: both prompts, each answered by this operator, and the run that completed.
    const entries = page.getByTestId('timeline').getByTestId('timeline-entry');
    const asked = entries.filter({ hasText: 'Deck asked for input' });
    await expect(asked).toHaveCount(2);
    await expect(asked.filter({ hasText: 'Enter the 6-digit code sent to your phone.' })).toHaveCount(1);
    await expect(asked.filter({ hasText: 'What was the name of your first pet?' })).toHaveCount(1);
    const answered = entries.filter({ hasText: 'Prompt answered' });
    await expect(answered).toHaveCount(2);
    for (const entry of await answered.all()) {
      await expect(entry).toContainText(`Answered by you (${account.email})`);
    }
    await expect(entries.filter({ hasText: 'Run completed (success)' })).toHaveCount(1);
    await expect(page.getByTestId('run-row')).toHaveCount(1);
    await expect(page.getByTestId('run-row')).toHaveAttribute('data-status', 'completed');
  });

  test('a rejected user_bad credential: the rejected panel, new login details, verified live', async ({
    api,
    openContext,
  }) => {
    const account = await api.createOperator('operator');
    const { credential } = await api.createCredential({
      username: 'user_bad',
      external_id: freshExternalId('ops-bad'),
    });
    const { page } = await openContext({ account });
    await page.goto(`/credentials/${credential.id}`);
    const chip = statusChip(page);

    // The source rejects the login: the page says so and offers the fix.
    await expect(chip).toHaveAttribute('data-status', 'invalid', { timeout: 20_000 });
    const rejected = page.getByTestId('rejected-panel');
    await expect(rejected).toBeVisible();
    await expect(rejected.getByRole('heading')).toContainText('The source rejected these login details');
    await expect(page.getByTestId('last-error')).toContainText('The source rejected the username or password.');
    await expect(page.getByTestId('run-row')).toHaveCount(1);
    await expectNoSeriousA11yViolations(page, 'credential-rejected');
    await screenshot(page, 'credential-rejected', { phone: true });

    // New login details in the dialog (user_good: the sandbox now accepts them).
    await rejected.getByTestId('update-button').click();
    const dialog = page.getByRole('dialog', { name: 'Update login details' });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId('login-form')).toBeVisible();
    await dialog.getByTestId('login-username').fill('user_good');
    await dialog.getByTestId('login-password').fill('a-new-password');
    await expectNoSeriousA11yViolations(page, 'credential-update-dialog');
    await screenshot(page, 'credential-update-dialog');
    await dialog.getByTestId('login-submit').click();

    await expect(dialog).toHaveCount(0);
    const outcome = page.getByTestId('action-result');
    await expect(outcome).toContainText('updated — verifying');
    await expect(chip).toHaveAttribute('data-status', 'verified', { timeout: 20_000 });
    await expect(outcome).toContainText('The source accepted the login.');
    await expect(rejected).toHaveCount(0);
    await expect(page.getByTestId('last-error')).toHaveCount(0);

    // Both runs are listed: the rejected one and the one after the update.
    const runs = page.getByTestId('run-row');
    await expect(runs).toHaveCount(2);
    await expect(runs.first()).toHaveAttribute('data-status', 'completed');
    await expect(runs.nth(1)).toHaveAttribute('data-status', 'failed');
    expect((await api.credential(credential.id)).credential.status).toBe('verified');
  });
});

/** The queue's item for one credential. */
function queueItemOf(page: Page, credentialId: string): Locator {
  return page
    .getByTestId('queue-item')
    .filter({ has: page.locator(`a[data-testid="queue-item-credential"][href="/credentials/${credentialId}"]`) });
}

/** The status chip in a credential page's header. */
function statusChip(page: Page): Locator {
  return page.getByTestId('credential-status').locator('[data-status]');
}

/**
 * The header badge counts every open prompt: this credential's `mine` plus
 * whatever other tests left open (the api says how many), so the badge must
 * read exactly that sum.
 */
async function expectBadgeCountsMine(page: Page, api: ApiClient, credentialId: string, mine: number): Promise<void> {
  await expect
    .poll(
      async () => {
        const others = (await api.openInteractions()).filter((i) => i.credential_id !== credentialId).length;
        return (await promptBadgeCount(page)) - others;
      },
      { message: `the prompt badge counts ${mine} open prompt(s) of this credential` },
    )
    .toBe(mine);
}
