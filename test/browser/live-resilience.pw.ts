import type { Page } from '@playwright/test';

import type { CredentialList } from '@app/contracts';
import type { CredentialStatus } from '@app/deck';

import type { ApiClient } from './support';
import { controlLiveSocket, expect, expectNoSeriousA11yViolations, screenshot, test } from './support';
import { connectionIndicator, credentialRow, freshExternalId, markDocument, rowIds } from './support/console-page';

const STATUSES: readonly CredentialStatus[] = ['unverified', 'verified', 'invalid', 'deleted'];

/**
 * The live socket dropped under an open page while things change, then
 * restored: the page catches up from where it was (the api replays from its
 * last `seq`) with nothing missed and nothing shown twice.
 */
test.describe('live updates across a dropped connection', () => {
  test('the credentials list catches up after a drop: statuses, counts and the new-credentials notice, each change once', async ({
    api,
    openContext,
  }) => {
    // Everything this test makes carries the tag, and the page shows only those: other tests' credentials stay out.
    const tag = freshExternalId('live');
    const good = (await api.createCredential({ username: 'user_good', external_id: `${tag}-a`, verify: false }))
      .credential;
    const bad = (await api.createCredential({ username: 'user_bad', external_id: `${tag}-b`, verify: false }))
      .credential;
    const early = (await api.createCredential({ username: 'user_good', external_id: `${tag}-c`, verify: false }))
      .credential;

    const { page } = await openContext({ account: await api.createOperator('operator') });
    const live = await controlLiveSocket(page);
    await page.goto(`/credentials?q=${tag}`);
    const indicator = connectionIndicator(page);
    await expect(indicator).toHaveAttribute('data-state', 'live');
    await expect(credentialRow(page, good.id)).toHaveAttribute('data-status', 'unverified');
    await expect(credentialRow(page, bad.id)).toHaveAttribute('data-status', 'unverified');
    await expect(page.getByTestId('credential-row')).toHaveCount(3);
    await expectTabCounts(page, { unverified: 3, verified: 0, invalid: 0, deleted: 0 });
    const sameDocument = await markDocument(page);
    // While connected, one of them is verified and the row follows: the page now has a position in the change log.
    await api.verify(early.id);
    await expect(credentialRow(page, early.id)).toHaveAttribute('data-status', 'verified', { timeout: 20_000 });
    await expectTabCounts(page, { unverified: 2, verified: 1, invalid: 0, deleted: 0 });

    await live.drop();
    await expect(indicator).toHaveAttribute('data-state', /^(reconnecting|offline)$/);

    // Meanwhile: both listed credentials are verified (one passes, one is rejected), and four new ones are made.
    await api.verify(good.id);
    await api.verify(bad.id);
    const created = [];
    for (const [i, username] of ['user_good', 'user_good', 'user_good', 'user_bad'].entries()) {
      created.push((await api.createCredential({ username, external_id: `${tag}-new-${i + 1}` })).credential);
    }
    const expected = new Map<string, CredentialStatus>([
      [good.id, 'verified'],
      [early.id, 'verified'],
      [bad.id, 'invalid'],
      ...created.map((c, i): [string, CredentialStatus] => [c.id, i < 3 ? 'verified' : 'invalid']),
    ]);
    // Wait until the api's mirror has every outcome (the sandbox reports them by webhook), all while the page is cut off.
    await expect
      .poll(async () => statusesOf(await api.credentials(`q=${tag}&limit=100`)), { timeout: 30_000 })
      .toEqual(Object.fromEntries(expected));

    // The page saw none of it: same rows, same statuses, no notice; it keeps trying to reconnect.
    await expect.poll(() => live.refused(), { timeout: 15_000 }).toBeGreaterThan(0);
    await expect(indicator).toHaveAttribute('data-state', /^(reconnecting|offline)$/);
    expect(await rowIds(page)).toHaveLength(3);
    await expect(credentialRow(page, good.id)).toHaveAttribute('data-status', 'unverified');
    await expect(credentialRow(page, bad.id)).toHaveAttribute('data-status', 'unverified');
    await expect(page.getByTestId('new-credentials-notice')).toHaveCount(0);
    await screenshot(page, 'credentials-reconnecting');

    // From here the page must catch up from the change log (its last seq), not by loading the list or its counts
    // again: the counts below are the page's own arithmetic, so a change applied twice would show.
    const listLoads = countRequests(page, (url) => url.pathname === '/api/credentials');
    const reconnected = live.nextConnection();
    live.restore();
    await reconnected;
    await expect(indicator).toHaveAttribute('data-state', 'live');

    // Caught up: the listed rows changed in place, the new ones are announced (not inserted), and counted once.
    await expect(credentialRow(page, good.id)).toHaveAttribute('data-status', 'verified');
    await expect(credentialRow(page, bad.id)).toHaveAttribute('data-status', 'invalid');
    const notice = page.getByTestId('new-credentials-notice');
    await expect(notice).toHaveText(/^\s*\S*\s*4 new — show\s*$/);
    expect((await rowIds(page)).sort()).toEqual([good.id, bad.id, early.id].sort());
    const apiCounts = (await api.credentials(`q=${tag}`)).counts;
    expect(apiCounts).toEqual({ unverified: 0, verified: 5, invalid: 2, deleted: 0 });
    await expectTabCounts(page, apiCounts);
    expect(listLoads(), 'neither the list nor its counts were loaded again after the reconnect').toBe(0);
    await expectNoSeriousA11yViolations(page, 'credentials-after-reconnect');
    await screenshot(page, 'credentials-new-notice');

    // "Show" lists each new credential exactly once, with its final status.
    await notice.click();
    await expect(notice).toHaveCount(0);
    await expect(page.getByTestId('credential-row')).toHaveCount(expected.size);
    const ids = await rowIds(page);
    expect(new Set(ids).size, `no row twice: ${ids.join(', ')}`).toBe(ids.length);
    expect([...ids].sort()).toEqual([...expected.keys()].sort());
    for (const [id, status] of expected) {
      await expect(credentialRow(page, id)).toHaveAttribute('data-status', status);
    }
    await expectTabCounts(page, apiCounts);
    await sameDocument();
  });

  test('a credential page followed through a drop: runs, prompts and history after restore, each once', async ({
    api,
    openContext,
  }) => {
    const { credential } = await api.createCredential({
      username: 'user_mfa',
      external_id: freshExternalId('live-mfa'),
    });
    // The first run waits for a code.
    await expect
      .poll(async () => (await api.credential(credential.id)).interactions.filter((i) => i.state === 'open').length, {
        timeout: 20_000,
      })
      .toBe(1);

    const { page } = await openContext({ account: await api.createOperator('operator') });
    const live = await controlLiveSocket(page);
    await page.goto(`/credentials/${credential.id}`);
    const indicator = connectionIndicator(page);
    await expect(indicator).toHaveAttribute('data-state', 'live');
    const statusChip = page.getByTestId('credential-status').locator('[data-status]');
    await expect(statusChip).toHaveAttribute('data-status', 'unverified');
    const prompt = page.getByTestId('open-prompt');
    await expect(prompt).toHaveCount(1);
    const firstPromptId = (await prompt.getAttribute('data-interaction-id')) as string;
    const firstRun = (await prompt.getAttribute('data-run-id')) as string;
    await expect(page.getByTestId('run-row')).toHaveCount(1);
    const sameDocument = await markDocument(page);

    // While connected, another operator gives a wrong code: the sandbox's new prompt replaces the old one here.
    await api.answer(firstRun, { code: '000000' });
    await expect(prompt).not.toHaveAttribute('data-interaction-id', firstPromptId, { timeout: 20_000 });
    await expect(prompt).toHaveCount(1);
    await expect(prompt.getByTestId('prompt-message')).toContainText('not accepted');
    const retryPromptId = (await prompt.getAttribute('data-interaction-id')) as string;

    await live.drop();
    await expect(indicator).toHaveAttribute('data-state', /^(reconnecting|offline)$/);

    // Meanwhile the right code is given elsewhere, and someone starts a second run, which waits for a code nobody gives.
    await api.answer(firstRun, { code: '123456' });
    await expect
      .poll(async () => (await api.credential(credential.id)).credential.status, { timeout: 20_000 })
      .toBe('verified');
    const second = await api.verify(credential.id);
    await expect.poll(async () => openPromptsOf(api, credential.id, second.id), { timeout: 20_000 }).toHaveLength(1);
    const detail = await api.credential(credential.id);
    expect(detail.runs).toHaveLength(2);
    expect(detail.interactions).toHaveLength(3);
    const lastPrompt = detail.interactions.find((i) => i.state === 'open');

    // Cut off, the page still shows the retry prompt, one run, unverified.
    await expect.poll(() => live.refused(), { timeout: 15_000 }).toBeGreaterThan(0);
    await expect(page.getByTestId('run-row')).toHaveCount(1);
    await expect(prompt).toHaveAttribute('data-interaction-id', retryPromptId);
    await expect(statusChip).toHaveAttribute('data-status', 'unverified');

    // From here the page must catch up from the change log, not by loading the credential again.
    const detailLoads = countRequests(page, (url) => url.pathname === `/api/credentials/${credential.id}`);
    const reconnected = live.nextConnection();
    live.restore();
    await reconnected;
    await expect(indicator).toHaveAttribute('data-state', 'live');

    // Caught up: verified, the second run's prompt is the one open, each run and prompt listed once.
    await expect(statusChip).toHaveAttribute('data-status', 'verified');
    await expect(prompt).toHaveCount(1);
    await expect(prompt).toHaveAttribute('data-interaction-id', lastPrompt?.id ?? '');
    await expect(prompt).toHaveAttribute('data-run-id', second.id);
    const runs = page.getByTestId('run-row');
    await expect(runs).toHaveCount(2);
    await expect(page.locator(`[data-testid="run-row"][data-run-id="${firstRun}"]`)).toHaveAttribute(
      'data-status',
      'completed',
    );
    await expect(page.locator(`[data-testid="run-row"][data-run-id="${second.id}"]`)).toHaveAttribute(
      'data-status',
      'interaction_required',
    );

    const entries = page.getByTestId('timeline').getByTestId('timeline-entry');
    await expect(entries.filter({ hasText: 'Verification run started' })).toHaveCount(2);
    await expect(entries.filter({ hasText: 'Run completed (success)' })).toHaveCount(1);
    await expect(entries.filter({ hasText: 'Deck asked for input' })).toHaveCount(3);
    for (const interaction of detail.interactions) {
      // Each prompt's opening once, and its closing once when closed.
      await expect(
        entries.filter({ hasText: 'Deck asked for input' }).and(page.locator(`[data-ref="${interaction.id}"]`)),
      ).toHaveCount(1);
      await expect(page.locator(`[data-testid="timeline-entry"][data-ref="${interaction.id}"]`)).toHaveCount(
        interaction.state === 'open' ? 1 : 2,
      );
    }
    const refs = await entries.evaluateAll((items) =>
      items.map((item) => {
        const el = item as unknown as { dataset: { ref?: string }; textContent: string | null };
        return `${el.dataset.ref ?? ''}|${(el.textContent ?? '').replace(/\s+/g, ' ').split('·')[0].trim()}`;
      }),
    );
    expect(new Set(refs).size, `no history line twice:\n${refs.join('\n')}`).toBe(refs.length);
    expect(
      detailLoads(),
      'the credential was not loaded again after the reconnect (the feed replayed what was missed)',
    ).toBe(0);
    await sameDocument();
  });
});

/** Counts the page's requests whose URL matches from now on. */
function countRequests(page: Page, matches: (url: URL) => boolean): () => number {
  let count = 0;
  page.on('request', (request) => {
    if (matches(new URL(request.url()))) {
      count += 1;
    }
  });
  return () => count;
}

/** Each credential's status in an api list, by id. */
function statusesOf(list: CredentialList): Record<string, CredentialStatus> {
  return Object.fromEntries(list.data.map((c) => [c.id, c.status]));
}

/** The open prompts of one run of one credential. */
async function openPromptsOf(api: ApiClient, credentialId: string, runId: string): Promise<string[]> {
  const detail = await api.credential(credentialId);
  return detail.interactions.filter((i) => i.state === 'open' && i.task_run_id === runId).map((i) => i.id);
}

/** The status tabs show exactly these counts, and "All" their sum. */
async function expectTabCounts(page: Page, counts: Record<CredentialStatus, number>): Promise<void> {
  const tab = (key: string) =>
    page.locator(`[data-testid="status-tab"][data-status="${key}"]`).getByTestId('status-count');
  for (const status of STATUSES) {
    await expect(tab(status), `the ${status} tab's count`).toHaveText(String(counts[status]));
  }
  const total = STATUSES.reduce((sum, status) => sum + counts[status], 0);
  await expect(tab('all'), 'the All tab’s count').toHaveText(String(total));
}
