import { randomBytes, randomUUID } from 'node:crypto';

import type { DeckCredential, DeckEvent, DeckList, DeckSource, DeckTask, DeckTaskRun } from '@app/deck';

import { startSandboxProcess, SandboxProcess } from '../support/sandbox-process';

/**
 * A Deck client as a customer writes it from docs.deck.co's "Building your auth
 * flow" guide: plain fetch, a base URL, a bearer key, idempotency keys on writes.
 * Nothing in it knows about the sandbox except the base URL.
 */
function deckFromDocs(baseUrl: string, apiKey: string) {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${apiKey}`,
        'Content-Type': 'application/json',
        ...(method === 'GET' ? {} : { 'Idempotency-Key': randomUUID() }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await response.json()) as T & { errors?: { code: string }[] };
    if (!response.ok) {
      throw new Error(`${method} ${path} → ${response.status} ${json.errors?.[0]?.code}`);
    }
    return json;
  }
  return {
    get: <T>(path: string) => call<T>('GET', path),
    post: <T>(path: string, body?: unknown) => call<T>('POST', path, body),
    patch: <T>(path: string, body: unknown) => call<T>('PATCH', path, body),
  };
}

async function poll<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await read();
    if (done(value)) {
      return value;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('gave up polling');
}

describe('A Deck client written from the docs, against the built sandbox process', () => {
  let sandbox: SandboxProcess;
  const apiKey = `sk_live_${randomBytes(16).toString('hex')}`;
  const password = 'a-password-that-must-stay-in-the-vault';

  beforeAll(async () => {
    sandbox = await startSandboxProcess({ MOCK_DECK_STEP_MS: '20', MOCK_DECK_LOG_LEVEL: 'debug' });
  });

  afterAll(async () => {
    await sandbox.stop();
  });

  it('should store, verify with MFA, update and list events exactly as against Deck', async () => {
    const deck = deckFromDocs(`${sandbox.url}/v2`, apiKey);
    await expect(deck.get('/test')).resolves.toMatchObject({ status: 'ready', environment: 'live' });

    const source = (await deck.get<DeckList<DeckSource>>('/sources')).data[0];
    const task = (await deck.get<DeckList<DeckTask>>('/tasks')).data.find((t) => t.name === 'Verify login');
    expect(task).toBeDefined();

    // 1. The form posts the login; the server stores it with Deck.
    const credential = await deck.post<DeckCredential>('/credentials', {
      source_id: source.id,
      auth_method: 'username_password',
      auth_credentials: { username: 'user_mfa@example.com', password },
      external_id: 'customer-7',
    });
    expect(credential.status).toBe('unverified');

    // 2. Run the verification task and follow it.
    const run = await deck.post<DeckTaskRun>(`/tasks/${task?.id}/run`, { credential_id: credential.id });
    const waiting = await poll(
      () => deck.get<DeckTaskRun>(`/task-runs/${run.id}`),
      (r) => r.status === 'interaction_required',
    );

    // 3. Render the prompt from interaction.fields and submit every field at once.
    const input = Object.fromEntries((waiting.interaction?.fields ?? []).map((f) => [f.name, '123456']));
    await deck.post(`/task-runs/${run.id}/interaction`, { input });
    const done = await poll(
      () => deck.get<DeckTaskRun>(`/task-runs/${run.id}`),
      (r) => r.status === 'completed' || r.status === 'failed',
    );
    expect(done).toMatchObject({ status: 'completed', result: 'success' });
    await expect(deck.get<DeckCredential>(`/credentials/${credential.id}`)).resolves.toMatchObject({
      status: 'verified',
    });

    // 4. The user changes their password: update the credential; it must be verified again.
    const updated = await deck.patch<DeckCredential>(`/credentials/${credential.id}`, {
      auth_credentials: { password: `${password}-new` },
    });
    expect(updated.status).toBe('unverified');

    // 5. Read the event log page by page, as a reconciliation job does.
    const types: string[] = [];
    let cursor: string | null = null;
    do {
      const page: DeckList<DeckEvent> = await deck.get(`/events?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      types.push(...page.data.map((e) => e.type));
      cursor = page.has_more ? page.next_cursor : null;
    } while (cursor);
    expect(types.reverse()).toEqual([
      'credential.created',
      'session.queued',
      'task_run.queued',
      'task_run.running',
      'session.running',
      'task_run.interaction_required',
      'task_run.running',
      'task_run.completed',
      'session.idle',
      'credential.verified',
      'credential.unverified',
    ]);

    // Nothing secret reached the process's logs, even at debug level.
    const logs = sandbox.output();
    expect(logs).toContain('request completed');
    expect(logs).not.toContain(password);
    expect(logs).not.toContain(apiKey);
    expect(logs).not.toContain('123456');
  });
});
