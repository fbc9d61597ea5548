import { controlLiveSocket, expect, PHONE, test } from './support';

/** The suite's own machinery, checked against the real system: the other suites stand on it. */
test.describe('browser test fixtures', () => {
  test('the api helper creates accounts and credentials; contexts sign in as anyone, on a phone too', async ({
    api,
    apiAs,
    openContext,
  }) => {
    const viewer = await api.createOperator('viewer');
    const operator = await api.createOperator('operator');
    const { credential } = await api.createCredential({ username: 'user_good' });
    // Through the sandbox's signed webhooks back into the api's mirror.
    await expect.poll(async () => (await api.credential(credential.id)).credential.status).toBe('verified');

    const first = await openContext({ account: operator });
    const second = await openContext({ account: viewer, phone: true });
    await Promise.all([first.page.goto('/credentials'), second.page.goto('/credentials')]);
    await expect(first.page.getByTestId('user-menu')).toContainText(operator.email);
    await expect(first.page.getByTestId('user-menu')).toContainText('operator');
    expect(second.page.viewportSize()).toEqual(PHONE);
    // On a phone the header keeps the user menu; the e-mail may be shortened, the role is there.
    await expect(second.page.getByTestId('user-menu')).toContainText('viewer');

    // REST as the viewer: refusals come back as answers, not exceptions.
    const viewerApi = await apiAs(viewer);
    const refused = await viewerApi.raw<{ code: string }>('POST', `/api/credentials/${credential.id}/verify`);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('forbidden');
  });

  test('the live socket can be dropped and restored under a page', async ({ openContext }) => {
    const { page } = await openContext();
    const live = await controlLiveSocket(page);
    await page.goto('/credentials');
    const indicator = page.getByTestId('connection-indicator');
    await expect(indicator).toHaveAttribute('data-state', 'live');
    expect(live.connections()).toBe(1);

    await live.drop();
    await expect(indicator).toHaveAttribute('data-state', 'reconnecting');
    await expect.poll(() => live.refused(), { timeout: 15_000 }).toBeGreaterThan(0);
    await expect(indicator).toHaveAttribute('data-state', 'reconnecting');

    const reconnected = live.nextConnection();
    live.restore();
    await reconnected;
    await expect(indicator).toHaveAttribute('data-state', 'live');
  });
});
