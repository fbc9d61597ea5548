import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import request from 'supertest';

import { AppModule } from '../../apps/mock-deck/src/app.module';
import { SandboxClock } from '../../apps/mock-deck/src/scheduler/clock';
import { configureApp } from '../../apps/mock-deck/src/configure-app';
import { Scheduler } from '../../apps/mock-deck/src/scheduler/scheduler.service';
import { WebhookDispatcher } from '../../apps/mock-deck/src/webhook-sender/webhook-dispatcher.service';

/** Defaults for a sandbox under test: its own in-memory database, no logs, quick scripted steps. */
const TEST_ENV: Record<string, string> = {
  MOCK_DECK_DATABASE: ':memory:',
  MOCK_DECK_LOG_LEVEL: 'silent',
  MOCK_DECK_STEP_MS: '20',
};

export interface MockDeck {
  app: NestExpressApplication;
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  clock: SandboxClock;
  /** Resolves once nothing is due right now (after moving the clock, say). */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Boots the sandbox in-process through the same `configureApp` as `main.ts`,
 * listening on a random port. `env` overrides settings for this app only.
 */
export async function startMockDeck(env: Record<string, string> = {}): Promise<MockDeck> {
  const saved = { ...process.env };
  Object.assign(process.env, TEST_ENV, env);
  try {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    const app = moduleRef.createNestApplication<NestExpressApplication>({ bufferLogs: true });
    configureApp(app);
    await app.listen(0, '127.0.0.1');
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    return {
      app,
      url,
      clock: app.get(SandboxClock),
      settle: () => app.get(Scheduler).settle(),
      close: async () => {
        await app.get(WebhookDispatcher).drain();
        await app.close();
      },
    };
  } finally {
    process.env = saved;
  }
}

/** A fresh API key: a new, isolated, freshly seeded organisation. */
export function newApiKey(prefix: 'sk_live_' | 'sk_test_' = 'sk_test_'): string {
  return prefix + randomBytes(16).toString('hex');
}

/** supertest bound to a sandbox and an API key. */
export function deckClient(deck: Pick<MockDeck, 'url'>, apiKey: string = newApiKey()) {
  const auth = { Authorization: `Bearer ${apiKey}` };
  return {
    apiKey,
    get: (path: string) => request(deck.url).get(path).set(auth),
    post: (path: string, body?: object) => request(deck.url).post(path).set(auth).send(body),
    patch: (path: string, body?: object) => request(deck.url).patch(path).set(auth).send(body),
    put: (path: string, body?: object) => request(deck.url).put(path).set(auth).send(body),
    delete: (path: string) => request(deck.url).delete(path).set(auth),
  };
}

export type DeckClient = ReturnType<typeof deckClient>;

/** Polls `probe` until it returns a value (not undefined) or the time runs out. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs = 5000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
