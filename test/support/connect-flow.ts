import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Response } from 'supertest';

import type { LinkView, Role } from '@app/contracts';
import type { DeckCredential, DeckList } from '@app/deck';
import { Transactor } from '@app/sqlite';

import { OperatorRow } from '../../apps/api/src/auth/operator.entity';
import { hashPassword } from '../../apps/api/src/auth/password';
import { ApiApp, loginAs, OperatorClient, startApi } from './api-app';
import { seeded } from './deck-fixtures';
import { deckClient, DeckClient, MockDeck, newApiKey, startMockDeck } from './mock-deck-app';

export const PUBLIC_URL = 'http://deckhand.test';

/** Any valid secret: with one configured, the api does not register a webhook destination of its own. */
export function webhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export interface ConnectPair {
  deck: MockDeck;
  api: ApiApp;
  /** The sandbox, with the api's own key: the same organisation the api works in. */
  sandbox: DeckClient;
  sourceIds: string[];
  taskId: string;
  close(): Promise<void>;
}

/**
 * A sandbox and an api pointed at it with a key of its own (an isolated
 * organisation). Webhooks are not wired up and the periodic catch-up is out of
 * the way, so the mirror changes only through the calls a test makes.
 */
export async function startConnectPair(apiEnv: Record<string, string> = {}): Promise<ConnectPair> {
  const deck = await startMockDeck({ MOCK_DECK_RATE_LIMIT: '2000' });
  const key = newApiKey();
  const api = await startApi({
    DECK_API_URL: `${deck.url}/v2`,
    DECK_API_KEY: key,
    DECK_WEBHOOK_SECRET: webhookSecret(),
    CATCH_UP_INTERVAL_MS: '3600000',
    PUBLIC_URL,
    ...apiEnv,
  });
  const sandbox = deckClient(deck, key);
  const { taskId } = await seeded(sandbox);
  const sources = (await sandbox.get('/v2/sources').expect(200)).body as DeckList<{ id: string }>;
  return {
    deck,
    api,
    sandbox,
    sourceIds: sources.data.map((s) => s.id),
    taskId,
    close: async () => {
      await api.close();
      await deck.close();
    },
  };
}

/** An operator account of `role`, written straight to the database (the operators API is not under test here). */
export async function addOperator(api: ApiApp, role: Role): Promise<OperatorClient> {
  const email = `${role}-${randomUUID().slice(0, 8)}@deckhand.test`;
  const password = `pw-${randomUUID()}`;
  const passwordHash = await hashPassword(password);
  await api.app.get(Transactor).run((manager) =>
    manager.insert(OperatorRow, {
      id: randomUUID(),
      email,
      password_hash: passwordHash,
      role,
      created_at: new Date().toISOString(),
    }),
  );
  return loginAs(api, { email, password });
}

export async function issueLink(operator: OperatorClient, externalId: string, sourceId?: string): Promise<LinkView> {
  const res = await operator.post('/api/links', {
    external_id: externalId,
    ...(sourceId ? { source_id: sourceId } : {}),
  });
  expect(res.status).toBe(201);
  return res.body as LinkView;
}

/** What a connect page sends: its link token in X-Link-Token, no cookies. */
export function connectPage(api: Pick<ApiApp, 'url'>, token: string) {
  const withToken = (test: request.Test) => test.set('X-Link-Token', token);
  return {
    get: (path: string) => withToken(request(api.url).get(path)),
    post: (path: string, body?: object) => withToken(request(api.url).post(path)).send(body),
    patch: (path: string, body?: object) => withToken(request(api.url).patch(path)).send(body),
    delete: (path: string) => withToken(request(api.url).delete(path)),
  };
}

export type ConnectPage = ReturnType<typeof connectPage>;

/** Every credential the sandbox holds for the organisation (all pages). */
export async function sandboxCredentials(sandbox: DeckClient, query = ''): Promise<DeckCredential[]> {
  const all: DeckCredential[] = [];
  let cursor: string | null = null;
  do {
    const page: Response = await sandbox
      .get(
        `/v2/credentials?limit=100${query ? `&${query}` : ''}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      )
      .expect(200);
    const body = page.body as DeckList<DeckCredential>;
    all.push(...body.data);
    cursor = body.has_more ? body.next_cursor : null;
  } while (cursor);
  return all;
}
