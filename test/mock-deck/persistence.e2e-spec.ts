import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { DeckList } from '@app/deck';

import { createCredential, eventTypes, runTask, seeded, waitForRun } from '../support/deck-fixtures';
import { deckClient, newApiKey, startMockDeck } from '../support/mock-deck-app';

describe('Persistence across a restart (SQLite file)', () => {
  let dir: string;
  let env: Record<string, string>;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mock-deck-'));
    env = { MOCK_DECK_DATABASE: join(dir, 'nested', 'mock-deck.sqlite') };
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('should keep the organisation, its objects, events and a waiting run, and carry on after restart', async () => {
    const apiKey = newApiKey();
    const first = await startMockDeck(env);
    const before = deckClient(first, apiKey);
    const { sourceId, taskId } = await seeded(before);
    const credential = await createCredential(before, sourceId, 'user_mfa', { external_id: 'persist' });
    const run = await runTask(before, taskId, { credential_id: credential.id });
    await waitForRun(before, run.id, (r) => r.status === 'interaction_required');
    const eventsBefore = await eventTypes(before);
    await first.close();

    const second = await startMockDeck(env);
    try {
      const after = deckClient(second, apiKey);
      expect(await seeded(after)).toEqual({ sourceId, taskId, agentId: expect.any(String) });
      const waiting = await waitForRun(after, run.id, (r) => r.status === 'interaction_required');
      expect(waiting.interaction?.fields.map((f) => f.name)).toEqual(['code']);
      expect(await eventTypes(after)).toEqual(eventsBefore);

      await after.post(`/v2/task-runs/${run.id}/interaction`, { input: { code: '123456' } }).expect(200);
      await waitForRun(after, run.id, (r) => r.status === 'completed');
      const stored = (await after.get(`/v2/credentials/${credential.id}`).expect(200)).body as { status: string };
      expect(stored.status).toBe('verified');
    } finally {
      await second.close();
    }
  });

  it('should finish a run that was queued when the sandbox stopped', async () => {
    const apiKey = newApiKey();
    const first = await startMockDeck({ ...env, MOCK_DECK_STEP_MS: '300' });
    const before = deckClient(first, apiKey);
    const { sourceId, taskId } = await seeded(before);
    const credential = await createCredential(before, sourceId, 'user_good');
    const run = await runTask(before, taskId, { credential_id: credential.id });
    expect(run.status).toBe('queued');
    await first.close();

    const second = await startMockDeck({ ...env, MOCK_DECK_STEP_MS: '20' });
    try {
      const after = deckClient(second, apiKey);
      const done = await waitForRun(after, run.id, (r) => r.status === 'completed');
      expect(done.result).toBe('success');
      const runs = (await after.get('/v2/task-runs').expect(200)).body as DeckList<{ id: string }>;
      expect(runs.data.map((r) => r.id)).toEqual([run.id]);
    } finally {
      await second.close();
    }
  });

  it('should keep a frozen, advanced clock and the work planned on it across a restart', async () => {
    const apiKey = newApiKey();
    const first = await startMockDeck(env);
    const before = deckClient(first, apiKey);
    const { sourceId } = await seeded(before);
    const credential = await createCredential(before, sourceId, 'user_good');
    await before.post('/sandbox/clock/freeze').expect(200);
    await before.post('/sandbox/clock/advance', { by: '2d' }).expect(200);
    await before.post(`/sandbox/credentials/${credential.id}/status`, { status: 'invalid', after: '1d' }).expect(200);
    const frozenAt = ((await before.get('/sandbox/clock').expect(200)).body as { now: string }).now;
    await first.close();

    const second = await startMockDeck(env);
    try {
      const after = deckClient(second, apiKey);
      expect((await after.get('/sandbox/clock').expect(200)).body).toMatchObject({ now: frozenAt, frozen: true });
      await after.post('/sandbox/clock/advance', { by: '23h' }).expect(200);
      expect(
        ((await after.get(`/v2/credentials/${credential.id}`).expect(200)).body as { status: string }).status,
      ).toBe('unverified');
      await after.post('/sandbox/clock/advance', { by: '1h' }).expect(200);
      expect(
        ((await after.get(`/v2/credentials/${credential.id}`).expect(200)).body as { status: string }).status,
      ).toBe('invalid');
    } finally {
      await second.close();
    }
  });

  it('should never write the password or the API key to the database files', async () => {
    const apiKey = newApiKey();
    const deck = await startMockDeck(env);
    const password = 'Pa55word-that-must-not-leak';
    try {
      const client = deckClient(deck, apiKey);
      const { sourceId, taskId } = await seeded(client);
      const res = await client
        .post('/v2/credentials', {
          source_id: sourceId,
          auth_method: 'username_password',
          auth_credentials: { username: 'user_good', password },
        })
        .set('Idempotency-Key', 'with-secret')
        .expect(201);
      await client
        .patch(`/v2/credentials/${res.body.id}`, { auth_credentials: { password: `${password}-2` } })
        .expect(200);
      await runTask(client, taskId, { credential_id: res.body.id });
    } finally {
      await deck.close();
    }
    const files = readdirSync(join(dir, 'nested'));
    expect(files).toContain('mock-deck.sqlite');
    for (const file of files) {
      const bytes = readFileSync(join(dir, 'nested', file));
      expect(bytes.includes(password)).toBe(false);
      expect(bytes.includes(apiKey)).toBe(false);
    }
    expect(readFileSync(join(dir, 'nested', 'mock-deck.sqlite')).includes('user_good')).toBe(true);
  });
});
