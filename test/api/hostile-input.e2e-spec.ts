import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { Response } from 'supertest';
import { Webhook } from 'standardwebhooks';
import { DataSource, EntityManager } from 'typeorm';

import type { ApiErrorBody, OperatorView } from '@app/contracts';
import { Transactor } from '@app/sqlite';

import { AuditEntryRow } from '../../apps/api/src/audit/audit-entry.entity';
import { OperatorRow } from '../../apps/api/src/auth/operator.entity';
import { CredentialRow } from '../../apps/api/src/mirror/credential.entity';
import { ReceivedEventRow } from '../../apps/api/src/webhooks/received-event.entity';
import { ADMIN, loginAs, OperatorClient } from '../support/api-app';
import { expectApiError } from '../support/api-envelope';
import { ConnectPage, connectPage, ConnectPair, issueLink, startConnectPair } from '../support/connect-flow';

/** `{"a":{"a":…1…}}`, `levels` objects deep. */
const nested = (levels: number, leaf = '1'): string => '{"a":'.repeat(levels) + leaf + '}'.repeat(levels);

/** Every hostile input is refused in the api's error shape, with the request's id, and changes nothing. */
function expectRefused(res: Response, status: number, code: string, field?: string): ApiErrorBody {
  const body = expectApiError(res, status, code, field);
  expect(body.request_id).toEqual(expect.any(String));
  return body;
}

describe('Hostile input to the api', () => {
  let pair: ConnectPair;
  let admin: OperatorClient;
  let page: ConnectPage;
  let secret: string;

  const read = <T>(work: (manager: EntityManager) => Promise<T>): Promise<T> =>
    pair.api.app.get(Transactor).exclusive(() => work(pair.api.app.get(DataSource).manager));

  const operatorCount = (): Promise<number> => read((m) => m.count(OperatorRow));
  const credentialCount = (): Promise<number> => read((m) => m.count(CredentialRow));

  /** A raw JSON text as the admin's console would send it (cookie and XSRF header). */
  const adminSends = (method: 'post' | 'patch', path: string, text: string) =>
    admin.agent[method](path).set('X-XSRF-TOKEN', admin.xsrf).set('Content-Type', 'application/json').send(text);

  beforeAll(async () => {
    secret = `whsec_${randomBytes(32).toString('base64')}`;
    pair = await startConnectPair({ DECK_WEBHOOK_SECRET: secret });
    admin = await loginAs(pair.api);
    page = connectPage(pair.api, (await issueLink(admin, 'hostile-input')).token);
  });

  afterAll(async () => {
    await pair?.close();
  });

  describe('deeply nested JSON', () => {
    it('should refuse a body nested 3,000 levels on the sandbox pass-through with 400 body_invalid, passing nothing on', async () => {
      const audited = () => read((m) => m.countBy(AuditEntryRow, { action: 'sandbox.request' }));
      const before = await audited();
      const res = await adminSends('post', '/api/sandbox/clock', nested(3000));
      const body = expectRefused(res, 400, 'body_invalid');
      expect(body.message).toMatch(/deeper than 32 levels/);
      expect(await audited()).toBe(before);
    });

    it.each([
      ['/api/auth/login', 'post'],
      ['/api/operators', 'post'],
      ['/api/credentials', 'post'],
      ['/api/links', 'post'],
      ['/api/operators/some-id', 'patch'],
    ] as const)('should refuse a deeply nested body on %s before any pipe walks it', async (path, method) => {
      const operators = await operatorCount();
      const res = await adminSends(method, path, `{"email":"a@b.c","x":${nested(5000)}}`);
      expectRefused(res, 400, 'body_invalid');
      expect(await operatorCount()).toBe(operators);
    });

    it('should still take a body nested within the limit', async () => {
      const res = await adminSends('post', '/api/operators', `{"email":"deep@deckhand.test","x":${nested(30)}}`);
      // Through to validation, which names the field it does not know.
      expectRefused(res, 400, 'validation_failed', 'x');
    });
  });

  describe('a signed webhook nested 10,000 levels', () => {
    function deliver(text: string, id: string) {
      const at = new Date();
      return request(pair.api.url)
        .post('/webhooks/deck')
        .set('Content-Type', 'application/json')
        .set('webhook-id', id)
        .set('webhook-timestamp', String(Math.floor(at.getTime() / 1000)))
        .set('webhook-signature', new Webhook(secret).sign(id, at, text))
        .send(text);
    }

    it('should be acknowledged with 200 and kept as held with the reason, once however often it comes', async () => {
      const id = `evt_${randomBytes(12).toString('hex')}`;
      const text = `{"id":"${id}","object":"event","type":"credential.verified","created_at":"${new Date().toISOString()}","data":${nested(10_000)}}`;

      const first = await deliver(text, id);
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ received: true, duplicate: false, outcome: 'held' });
      const row = await read((m) => m.findOneBy(ReceivedEventRow, { id }));
      expect(row).toMatchObject({ id, outcome: 'held', via: 'webhook' });
      expect(row?.note).toMatch(/nests deeper than 32 levels/);

      const again = await deliver(text, id);
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ received: true, duplicate: true, outcome: 'held' });
    });
  });

  describe('text that is not well-formed (a lone surrogate)', () => {
    const lone = 'x\ud800y';

    it('should refuse it in the login e-mail and in the password with 400, naming the field', async () => {
      for (const body of [
        { email: `${lone}@deckhand.test`, password: ADMIN.password },
        { email: ADMIN.email, password: lone },
      ]) {
        const field = body.email === ADMIN.email ? 'password' : 'email';
        expectRefused(await request(pair.api.url).post('/api/auth/login').send(body), 400, 'validation_failed', field);
      }
    });

    it('should refuse it when creating or changing an operator, creating nobody', async () => {
      const operators = await operatorCount();
      expectRefused(
        await admin.post('/api/operators', {
          email: `${lone}@deckhand.test`,
          password: 'long-enough-pass',
          role: 'viewer',
        }),
        400,
        'validation_failed',
        'email',
      );
      const me = (await admin.get('/api/auth/me').expect(200)).body as OperatorView;
      expectRefused(
        await admin.patch(`/api/operators/${me.id}`, { password: `long-enough-${lone}` }),
        400,
        'validation_failed',
        'password',
      );
      expect(await operatorCount()).toBe(operators);
      await loginAs(pair.api);
    });

    it('should refuse it in a credential, a key of source_fields included, storing nothing', async () => {
      const credentials = await credentialCount();
      const base = { source_id: pair.sourceIds[0], username: 'user_good', password: 'pw' };
      expectRefused(
        await page.post('/api/credentials', { ...base, password: lone }),
        400,
        'validation_failed',
        'password',
      );
      expectRefused(
        await page.post('/api/credentials', { ...base, source_fields: { [`k${lone}`]: 'v' } }),
        400,
        'validation_failed',
        'source_fields',
      );
      expect(await credentialCount()).toBe(credentials);
    });
  });

  describe('null for an optional field', () => {
    it.each(['role', 'password'])(
      'should refuse %s: null on PATCH /api/operators/:id with 400 and change nothing',
      async (field) => {
        const me = (await admin.get('/api/auth/me').expect(200)).body as OperatorView;
        expectRefused(await admin.patch(`/api/operators/${me.id}`, { [field]: null }), 400, 'validation_failed', field);
        expect((await admin.get('/api/auth/me').expect(200)).body).toEqual(me);
      },
    );

    it('should refuse null for the optional fields of a credential and a link', async () => {
      const credentials = await credentialCount();
      const base = { source_id: pair.sourceIds[0], username: 'user_good', password: 'pw' };
      expectRefused(
        await page.post('/api/credentials', { ...base, source_fields: null }),
        400,
        'validation_failed',
        'source_fields',
      );
      expectRefused(
        await admin.post('/api/links', { external_id: 'x', source_id: null }),
        400,
        'validation_failed',
        'source_id',
      );
      expect(await credentialCount()).toBe(credentials);
    });
  });

  describe('bodies the parser refuses, and bad URLs', () => {
    it('should say that a malformed body is not valid JSON', async () => {
      const body = expectRefused(await adminSends('post', '/api/operators', '{"email":'), 400, 'body_invalid');
      expect(body.message).toBe('The body is not valid JSON.');
    });

    it('should say that a bare JSON value is not an object', async () => {
      const body = expectRefused(await adminSends('post', '/api/operators', '"str"'), 400, 'body_invalid');
      expect(body.message).toMatch(/must be a JSON object/);
    });

    it('should answer 413 body_too_large for a body over the limit, on the api and on the webhook', async () => {
      const big = JSON.stringify({ email: 'a@b.c', padding: 'x'.repeat(70 * 1024) });
      const api = expectRefused(await adminSends('post', '/api/operators', big), 413, 'body_too_large');
      expect(api.message).toMatch(/64 kB/);
      const hook = await request(pair.api.url)
        .post('/webhooks/deck')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ padding: 'x'.repeat(300 * 1024) }));
      expectRefused(hook, 413, 'body_too_large');
    });

    it('should answer 400 url_invalid, about the path, for a broken %-escape', async () => {
      const operators = await operatorCount();
      for (const res of [
        await admin.get('/api/operators/%ff'),
        await admin.delete('/api/operators/%ff'),
        await request(pair.api.url).get('/api/credentials/%E0%A4%A'),
      ]) {
        const body = expectRefused(res, 400, 'url_invalid');
        expect(body.message).toMatch(/path/);
      }
      expect(await operatorCount()).toBe(operators);
    });

    it('should give a route that does not exist its request_id too', async () => {
      expectRefused(await admin.get('/api/no-such-route'), 404, 'route_not_found');
    });
  });

  describe('prototype keys in the query string', () => {
    it.each(['/api/credentials', '/api/operators', '/api/audit', '/api/interactions', '/api/events', '/api/sources'])(
      'should refuse ?__proto__=1 and ?constructor=1 on %s like any unknown parameter',
      async (path) => {
        for (const query of ['__proto__=1', 'constructor=1', 'status[__proto__]=1', 'prototype=x']) {
          const name = query.split('=')[0];
          expectRefused(await admin.get(`${path}?${query}`), 400, 'validation_failed', name);
        }
      },
    );

    it('should refuse them with a link token on the connect page too, and still list with known parameters', async () => {
      expectRefused(await page.get('/api/credentials?limit=5&__proto__=1'), 400, 'validation_failed', '__proto__');
      await page.get('/api/credentials?limit=5').expect(200);
    });
  });
});
