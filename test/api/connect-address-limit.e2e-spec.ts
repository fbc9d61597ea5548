import { randomBytes } from 'node:crypto';

import type { ApiErrorBody } from '@app/contracts';

import { CONNECT_ADDRESS_LIMIT } from '../../apps/api/src/auth/connect-throttle';
import { loginAs } from '../support/api-app';
import { ConnectPair, issueLink, startConnectPair } from '../support/connect-flow';
import { requestFrom } from './from-address';

/**
 * Connect routes are limited per link as well as per address: a script trying
 * a fresh random link token on every request is stopped at the address's limit.
 */
describe('Connect routes: the per-address limit', () => {
  let pair: ConnectPair;

  beforeAll(async () => {
    pair = await startConnectPair();
  });

  afterAll(async () => {
    await pair?.close();
  });

  const withToken = (from: string, token: string, body: object) =>
    requestFrom(from, pair.api.url, '/api/credentials', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Link-Token': token },
      body: JSON.stringify(body),
    });

  it('should answer 429 in the error shape, with Retry-After, once one address has tried too many random tokens', async () => {
    const from = '127.0.3.1';
    const body = { source_id: pair.sourceIds[0], username: 'user_good', password: 'pw' };
    const answers = [];
    // One after another, as a guessing script would: each token is new, so only the address links them.
    for (let i = 0; i < CONNECT_ADDRESS_LIMIT.limit + 10; i++) {
      answers.push(await withToken(from, randomBytes(24).toString('base64url'), body));
    }
    const statuses = answers.map((a) => a.status);
    expect(statuses.slice(0, CONNECT_ADDRESS_LIMIT.limit).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(CONNECT_ADDRESS_LIMIT.limit)).toEqual(Array.from({ length: 10 }, () => 429));
    const refused = answers[answers.length - 1];
    expect(refused.body).toMatchObject({ statusCode: 429, code: 'rate_limited', request_id: expect.any(String) });
    expect((refused.body as ApiErrorBody).message).toMatch(/address/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('should still serve a real connect page from another address', async () => {
    const admin = await loginAs(pair.api);
    const link = await issueLink(admin, 'address-limit');
    const answer = await requestFrom('127.0.3.2', pair.api.url, '/api/links/current', {
      headers: { 'X-Link-Token': link.token },
    });
    expect(answer.status).toBe(200);
  });
});
