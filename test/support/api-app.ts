import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { createServer } from 'node:net';
import request from 'supertest';

import { AppModule } from '../../apps/api/src/app.module';
import { configureApp } from '../../apps/api/src/configure-app';

export const ADMIN = { email: 'admin@deckhand.test', password: 'correct-horse-battery' };

export interface ApiApp {
  app: NestExpressApplication;
  url: string;
  close(): Promise<void>;
}

/**
 * Boots the api in-process through the production `configureApp`, on a random
 * port, with its own in-memory database. `env` points it at a sandbox and
 * overrides anything else for this app only.
 */
export async function startApi(env: Record<string, string> = {}): Promise<ApiApp> {
  const saved = { ...process.env };
  Object.assign(
    process.env,
    {
      DATABASE_PATH: ':memory:',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      // JSON even when jest runs in a terminal: suites that read the logs read them from stdout as written.
      LOG_FORMAT: 'json',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      DECK_RETRY_BASE_MS: '20',
    },
    env,
  );
  try {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    const app = moduleRef.createNestApplication<NestExpressApplication>({ bufferLogs: true, rawBody: true });
    configureApp(app);
    // PORT pins the port when the api must know its own URL up front (PUBLIC_URL for its webhook destination).
    await app.listen(env.PORT ? Number(env.PORT) : 0, '127.0.0.1');
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    return { app, url, close: () => app.close() };
  } finally {
    process.env = saved;
  }
}

/** A port free right now (the OS picks it), for an api that has to be given its PUBLIC_URL before it listens. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A logged-in operator's HTTP client: keeps the session cookie and echoes the
 * XSRF-TOKEN cookie in X-XSRF-TOKEN on writes, as Angular's HttpClient does.
 */
export async function loginAs(api: Pick<ApiApp, 'url'>, credentials = ADMIN) {
  const agent = request.agent(api.url);
  const res = await agent.post('/api/auth/login').send(credentials).expect(200);
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const xsrf = cookies.map((c) => /^XSRF-TOKEN=([^;]+)/.exec(c)?.[1]).find(Boolean);
  if (!xsrf) {
    throw new Error('Login set no XSRF-TOKEN cookie');
  }
  const token = decodeURIComponent(xsrf);
  return {
    agent,
    xsrf: token,
    get: (path: string) => agent.get(path),
    post: (path: string, body?: object) => agent.post(path).set('X-XSRF-TOKEN', token).send(body),
    patch: (path: string, body?: object) => agent.patch(path).set('X-XSRF-TOKEN', token).send(body),
    delete: (path: string) => agent.delete(path).set('X-XSRF-TOKEN', token),
  };
}

export type OperatorClient = Awaited<ReturnType<typeof loginAs>>;
