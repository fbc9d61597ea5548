import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { ApiError } from '../common/api-error';
import type { ApiConfig } from '../config/api.config';
import { DeckClient } from './deck-client.service';

interface Seen {
  method: string;
  url: string;
  idempotencyKey: string | undefined;
  authorization: string | undefined;
}

/** A scripted Deck over real HTTP: each request takes the next answer. */
async function fakeDeck(answers: { status: number; body: unknown; headers?: Record<string, string> }[]) {
  const seen: Seen[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    seen.push({
      method: req.method ?? '',
      url: req.url ?? '',
      idempotencyKey: req.headers['idempotency-key'] as string | undefined,
      authorization: req.headers.authorization,
    });
    const answer = answers[Math.min(seen.length - 1, answers.length - 1)];
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2`;
  return { url, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

function clientFor(url: string): DeckClient {
  const config = { deck: { url, apiKey: 'sk_test_unit_key_123', retryBaseMs: 5 } } as unknown as ApiConfig;
  return new DeckClient(config);
}

const CREDENTIAL = { id: 'cred_1', object: 'credential', status: 'unverified' };
const envelope = (code: string, field?: string) => ({
  errors: [{ type: 'request', code, message: 'echoed user input', field }],
  request_id: 'req_1',
});

describe(DeckClient.name, () => {
  it('should retry 5xx and 429 with the same idempotency key, then return the answer', async () => {
    const deck = await fakeDeck([
      { status: 503, body: envelope('source_not_available') },
      { status: 429, body: envelope('rate_limit_exceeded'), headers: { 'retry-after': '0' } },
      { status: 201, body: CREDENTIAL },
    ]);
    try {
      await expect(
        clientFor(deck.url).createCredential({ source_id: 'src_1' }, { idempotencyKey: 'cred-create:abc' }),
      ).resolves.toEqual(CREDENTIAL);
      expect(deck.seen.map((s) => s.idempotencyKey)).toEqual(['cred-create:abc', 'cred-create:abc', 'cred-create:abc']);
      expect(deck.seen[0].authorization).toBe('Bearer sk_test_unit_key_123');
    } finally {
      await deck.close();
    }
  });

  it('should wait for an earlier try still being processed under the same key, and get its answer', async () => {
    const deck = await fakeDeck([
      {
        status: 409,
        body: {
          ...envelope('idempotency_error'),
          errors: [{ type: 'idempotency', code: 'idempotency_error', message: 'still being processed' }],
        },
      },
      { status: 200, body: CREDENTIAL },
    ]);
    try {
      await expect(
        clientFor(deck.url).createCredential({ source_id: 'src_1' }, { idempotencyKey: 'cred-create:abc' }),
      ).resolves.toEqual(CREDENTIAL);
      expect(deck.seen.map((s) => s.idempotencyKey)).toEqual(['cred-create:abc', 'cred-create:abc']);
    } finally {
      await deck.close();
    }
  });

  it('should make up one key per call when none is given, the same on each retry', async () => {
    const deck = await fakeDeck([
      { status: 500, body: {} },
      { status: 201, body: CREDENTIAL },
    ]);
    try {
      await clientFor(deck.url).createCredential({ source_id: 'src_1' });
      expect(deck.seen[0].idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
      expect(deck.seen[1].idempotencyKey).toBe(deck.seen[0].idempotencyKey);
    } finally {
      await deck.close();
    }
  });

  it('should send no idempotency key on reads', async () => {
    const deck = await fakeDeck([{ status: 200, body: CREDENTIAL }]);
    try {
      await clientFor(deck.url).getCredential('cred_1');
      expect(deck.seen[0]).toMatchObject({ method: 'GET', url: '/v2/credentials/cred_1', idempotencyKey: undefined });
    } finally {
      await deck.close();
    }
  });

  it('should give up after four attempts with a 502 that says Deck is unavailable', async () => {
    const deck = await fakeDeck([{ status: 502, body: {} }]);
    try {
      const error = await clientFor(deck.url)
        .listSources()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ code: 'deck_unavailable', status: 502 });
      expect(deck.seen).toHaveLength(4);
    } finally {
      await deck.close();
    }
  });

  it('should treat an unreachable Deck the same way', async () => {
    const deck = await fakeDeck([]);
    await deck.close();
    await expect(clientFor(deck.url).listSources()).rejects.toMatchObject({ code: 'deck_unavailable' });
  });

  it("should turn Deck's refusals into our errors, naming our fields and never echoing Deck's text", async () => {
    const deck = await fakeDeck([{ status: 400, body: envelope('input_missing', 'auth_credentials.password') }]);
    try {
      const error = (await clientFor(deck.url)
        .createCredential({})
        .catch((e: unknown) => e)) as ApiError;
      expect(error).toMatchObject({
        code: 'deck_rejected',
        status: 422,
        details: [{ field: 'password', message: 'refused by Deck (input_missing)' }],
      });
      expect(JSON.stringify({ ...error, message: error.message })).not.toContain('echoed user input');
      expect(deck.seen).toHaveLength(1);
    } finally {
      await deck.close();
    }
  });

  it('should not retry a refused key, and say the service needs fixing', async () => {
    const deck = await fakeDeck([{ status: 401, body: envelope('api_key_invalid') }]);
    try {
      await expect(clientFor(deck.url).listTasks()).rejects.toMatchObject({ code: 'deck_unavailable' });
      expect(deck.seen).toHaveLength(1);
    } finally {
      await deck.close();
    }
  });
});
