import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { requestFingerprint } from '../../apps/mock-deck/src/idempotency/request-fingerprint';
import { seeded } from '../support/deck-fixtures';
import { expectDeckError } from '../support/envelope';
import { deckClient, newApiKey, startMockDeck } from '../support/mock-deck-app';
import { SqliteFile } from './sqlite-file';

describe('Idempotency keys claimed by a sandbox that died', () => {
  let dir: string;
  let env: Record<string, string>;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mock-deck-idem-'));
    env = { MOCK_DECK_DATABASE: join(dir, 'mock-deck.sqlite') };
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('should let the retry run on the next start instead of answering 409 for a day', async () => {
    const apiKey = newApiKey();
    const key = 'create-cred-after-crash';
    const first = await startMockDeck(env);
    const before = deckClient(first, apiKey);
    const { sourceId } = await seeded(before);
    const body = {
      source_id: sourceId,
      auth_method: 'username_password',
      auth_credentials: { username: 'user_good', password: 'hunter2-hunter2' },
    };

    // What a process killed between claiming the key and recording its answer leaves behind.
    const file = await SqliteFile.open(env.MOCK_DECK_DATABASE);
    try {
      const org = await file.get<{ id: string }>('SELECT id FROM organizations');
      await file.run(
        'INSERT INTO idempotency_records (org_id, key, fingerprint, status_code, body, expires_at) VALUES (?, ?, ?, NULL, NULL, ?)',
        [
          org?.id,
          key,
          requestFingerprint('POST', '/v2/credentials', body),
          new Date(first.clock.nowMs() + 86_400_000).toISOString(),
        ],
      );
    } finally {
      await file.close();
    }
    const blocked = await before.post('/v2/credentials', body).set('Idempotency-Key', key);
    expectDeckError(blocked, 409, 'idempotency_error');
    expect(JSON.stringify(blocked.body)).toContain('still being processed');
    await first.close();

    const second = await startMockDeck(env);
    try {
      const after = deckClient(second, apiKey);
      const retried = await after.post('/v2/credentials', body).set('Idempotency-Key', key).expect(201);
      const replayed = await after.post('/v2/credentials', body).set('Idempotency-Key', key).expect(201);
      expect(replayed.headers['idempotent-replayed']).toBe('true');
      expect((replayed.body as { id: string }).id).toBe((retried.body as { id: string }).id);
    } finally {
      await second.close();
    }
  });

  it('should keep a key answered just before the sandbox stopped', async () => {
    const apiKey = newApiKey();
    const first = await startMockDeck(env);
    const before = deckClient(first, apiKey);
    const { sourceId } = await seeded(before);
    const body = {
      source_id: sourceId,
      auth_method: 'username_password',
      auth_credentials: { username: 'a', password: 'b' },
    };
    const created = await before.post('/v2/credentials', body).set('Idempotency-Key', 'kept').expect(201);
    await first.close();

    const second = await startMockDeck(env);
    try {
      const again = await deckClient(second, apiKey).post('/v2/credentials', body).set('Idempotency-Key', 'kept');
      expect(again.status).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect((again.body as { id: string }).id).toBe((created.body as { id: string }).id);
    } finally {
      await second.close();
    }
  });
});
