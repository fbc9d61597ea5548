import request from 'supertest';

import type { OperatorView } from '@app/contracts';

import { expectApiError } from '../support/api-envelope';
import { ADMIN, ApiApp, loginAs, startApi } from '../support/api-app';

describe('Operator authentication (/api/auth)', () => {
  let api: ApiApp;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api.close();
  });

  it('should create the first admin from the environment and let it log in', async () => {
    const operator = await loginAs(api);
    const me = (await operator.get('/api/auth/me').expect(200)).body as OperatorView;
    expect(me).toMatchObject({ email: ADMIN.email, role: 'admin' });
  });

  it('should set an HttpOnly SameSite session cookie and a readable XSRF-TOKEN cookie', async () => {
    const res = await request(api.url).post('/api/auth/login').send(ADMIN).expect(200);
    const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
    const session = cookies.find((c) => c.startsWith('deckhand_session='));
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Lax/i);
    const xsrf = cookies.find((c) => c.startsWith('XSRF-TOKEN='));
    expect(xsrf).toBeDefined();
    expect(xsrf).not.toMatch(/HttpOnly/i);
    expect(JSON.stringify(res.body)).not.toContain(ADMIN.password);
  });

  it('should refuse wrong passwords and unknown accounts alike', async () => {
    const wrong = await request(api.url)
      .post('/api/auth/login')
      .send({ ...ADMIN, password: 'nope-nope' });
    const unknown = await request(api.url).post('/api/auth/login').send({ email: 'who@deckhand.test', password: 'x' });
    expect(expectApiError(wrong, 401, 'unauthenticated').message).toBe(
      expectApiError(unknown, 401, 'unauthenticated').message,
    );
  });

  it('should validate the login body', async () => {
    expectApiError(
      await request(api.url).post('/api/auth/login').send({ email: 'not-an-email', password: 'x' }),
      400,
      'validation_failed',
      'email',
    );
    expectApiError(
      await request(api.url)
        .post('/api/auth/login')
        .send({ ...ADMIN, admin: true }),
      400,
      'validation_failed',
      'admin',
    );
    expectApiError(
      await request(api.url).post('/api/auth/login').set('Content-Type', 'application/json').send('{"email":'),
      400,
      'body_invalid',
    );
  });

  it('should need a session for the console API', async () => {
    expectApiError(await request(api.url).get('/api/auth/me'), 401, 'unauthenticated');
    expectApiError(
      await request(api.url).get('/api/auth/me').set('Cookie', 'deckhand_session=forged'),
      401,
      'unauthenticated',
    );
  });

  it('should refuse a cookie-authenticated write without the matching CSRF header', async () => {
    const operator = await loginAs(api);
    expectApiError(await operator.agent.post('/api/auth/logout'), 403, 'csrf_invalid');
    expectApiError(await operator.agent.post('/api/auth/logout').set('X-XSRF-TOKEN', 'forged'), 403, 'csrf_invalid');
    const other = await loginAs(api);
    expectApiError(await operator.agent.post('/api/auth/logout').set('X-XSRF-TOKEN', other.xsrf), 403, 'csrf_invalid');
    await operator.post('/api/auth/logout').expect(204);
    expectApiError(await operator.get('/api/auth/me'), 401, 'unauthenticated');
  });

  it('should refuse a form-encoded login, which a cross-site HTML form could send, and set no cookie', async () => {
    const res = await request(api.url)
      .post('/api/auth/login')
      .type('form')
      .send({ email: 'admin@deckhand.local', password: 'deckhand-admin' });
    expectApiError(res, 415, 'body_invalid');
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('should answer unknown routes in the error shape, with security headers and no caching', async () => {
    const res = await request(api.url).get('/api/nothing');
    expectApiError(res, 404, 'route_not_found');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-security-policy']).toContain("base-uri 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('should serve its OpenAPI document at /api/docs', async () => {
    const doc = (await request(api.url).get('/api/docs/openapi.json').expect(200)).body as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/auth/login', '/api/auth/me']));
  });
});
