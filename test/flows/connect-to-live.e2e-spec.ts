import request from 'supertest';

import type { CredentialView, InteractionView, LinkView, TaskRunView } from '@app/contracts';
import type { CredentialStatus } from '@app/deck';

import { ADMIN, ApiApp, freePort, loginAs, OperatorClient, startApi } from '../support/api-app';
import { connectPage } from '../support/connect-flow';
import { connectLive, LiveClient } from '../support/live-client';
import { deckClient, MockDeck, newApiKey, startMockDeck, waitFor } from '../support/mock-deck-app';

/**
 * The whole product path with nothing stubbed: an end user connects through a
 * link, the api stores the login with the sandbox over HTTP, the sandbox runs
 * its scenario and delivers signed webhooks to the destination the api
 * registered for itself, the api mirrors them and pushes them to an
 * operator's socket and to the end user's own socket.
 */
describe('Connect page → Deck → signed webhooks → mirror → live sockets', () => {
  let sandbox: MockDeck;
  let api: ApiApp;
  let publicUrl: string;
  let operator: OperatorClient;
  let operatorLive: LiveClient;
  let sourceId: string;
  const apiKey = newApiKey();
  const sockets: LiveClient[] = [];

  beforeAll(async () => {
    sandbox = await startMockDeck({ MOCK_DECK_STEP_MS: '20' });
    const port = await freePort();
    publicUrl = `http://127.0.0.1:${port}`;
    api = await startApi({
      PORT: String(port),
      PUBLIC_URL: publicUrl,
      DECK_API_URL: `${sandbox.url}/v2`,
      DECK_API_KEY: apiKey,
      CATCH_UP_INTERVAL_MS: '3600000',
    });
    // The api registers its own destination with the sandbox at start (no secret configured).
    const deck = deckClient(sandbox, apiKey);
    await waitFor(
      async () => {
        const list = (await deck.get('/v2/event-destinations').expect(200)).body as {
          data: { status: string; webhook?: { url: string } }[];
        };
        return list.data.some((d) => d.status === 'active' && d.webhook?.url === `${publicUrl}/webhooks/deck`)
          ? true
          : undefined;
      },
      10_000,
      'the api to register its webhook destination',
    );

    operator = await loginAs(api);
    const login = await request(api.url).post('/api/auth/login').send(ADMIN).expect(200);
    const cookie = ([] as string[])
      .concat(login.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith('deckhand_session='));
    operatorLive = await connectLive(api.url, { origin: publicUrl, cookie: cookie?.split(';')[0] }).connected();
    sockets.push(operatorLive);
    sourceId = ((await operator.get('/api/sources').expect(200)).body as { id: string }[])[0].id;
  });

  afterAll(async () => {
    sockets.forEach((s) => s.socket.disconnect());
    await api.close();
    await sandbox.close();
  });

  /** An end user with a fresh link, its connect page and its own socket. */
  async function endUser(externalId: string) {
    const link = (await operator.post('/api/links', { external_id: externalId }).expect(201)).body as LinkView;
    const page = connectPage(api, link.token);
    const live = await connectLive(api.url, { origin: publicUrl, auth: { link_token: link.token } }).connected();
    sockets.push(live);
    return { page, live };
  }

  async function connect(page: ReturnType<typeof connectPage>, username: string): Promise<CredentialView> {
    const res = await page.post('/api/credentials', {
      source_id: sourceId,
      username,
      password: `pw-${username}-secret`,
    });
    expect(res.status).toBe(201);
    return res.body as CredentialView;
  }

  function credentialStatusSeen(live: LiveClient, id: string, status: CredentialStatus): Promise<unknown> {
    return waitFor(
      () =>
        Promise.resolve(
          live.changes.some(
            (c) => c.kind === 'credential' && c.credential.id === id && c.credential.status === status,
          ) || undefined,
        ),
      10_000,
      `credential ${id} to be ${status} on the socket`,
    );
  }

  it.each([
    ['user_good', 'verified'],
    ['user_bad', 'invalid'],
  ] as const)('should carry a %s verification to the operator and the end user live', async (username, finalStatus) => {
    const user = await endUser(`flow-${username}`);
    const credential = await connect(user.page, username);
    expect(credential.status).toBe('unverified');
    const run = (await user.page.post(`/api/credentials/${credential.id}/verify`).expect(202)).body as TaskRunView;

    await credentialStatusSeen(operatorLive, credential.id, finalStatus);
    await credentialStatusSeen(user.live, credential.id, finalStatus);
    const detail = (await operator.get(`/api/credentials/${credential.id}`).expect(200)).body as {
      credential: CredentialView;
      runs: TaskRunView[];
    };
    expect(detail.credential.status).toBe(finalStatus);
    expect(detail.runs.find((r) => r.id === run.id)?.status).toBe(finalStatus === 'verified' ? 'completed' : 'failed');
    const seqs = operatorLive.changes.map((c) => c.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it('should let the end user answer an MFA prompt that arrives live, and never show them anyone else', async () => {
    const alice = await endUser('flow-alice');
    const bob = await endUser('flow-bob');
    const aliceCredential = await connect(alice.page, 'user_mfa');
    const bobCredential = await connect(bob.page, 'user_good');
    await alice.page.post(`/api/credentials/${aliceCredential.id}/verify`).expect(202);
    await bob.page.post(`/api/credentials/${bobCredential.id}/verify`).expect(202);

    const prompt = await waitFor(
      () =>
        Promise.resolve(
          alice.live.changes
            .filter((c): c is Extract<typeof c, { kind: 'interaction' }> => c.kind === 'interaction')
            .map((c) => c.interaction)
            .find((i: InteractionView) => i.credential_id === aliceCredential.id && i.state === 'open'),
        ),
      10_000,
      "alice's prompt on her socket",
    );
    expect(prompt.prompt.fields.map((f) => f.name)).toEqual(['code']);
    const queue = (await operator.get('/api/interactions?status=open').expect(200)).body as { data: InteractionView[] };
    expect(queue.data.map((i) => i.id)).toContain(prompt.id);

    await alice.page
      .post(`/api/task-runs/${prompt.task_run_id}/interaction`, { input: { code: '123456' } })
      .expect(200);
    await credentialStatusSeen(alice.live, aliceCredential.id, 'verified');
    await credentialStatusSeen(operatorLive, bobCredential.id, 'verified');

    const aliceSaw = new Set(alice.live.changes.map((c) => c.credential_id));
    expect([...aliceSaw]).toEqual([aliceCredential.id]);
    expect(bob.live.changes.every((c) => c.credential_id === bobCredential.id)).toBe(true);
    expect(JSON.stringify(alice.live.changes)).not.toContain('123456');
    expect(JSON.stringify(operatorLive.changes)).not.toContain('pw-user_mfa-secret');
  });
});
