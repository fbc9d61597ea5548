import request from 'supertest';
import { DataSource } from 'typeorm';

import type { CredentialView } from '@app/contracts';

import { AuditEntryRow } from '../../apps/api/src/audit/audit-entry.entity';
import { ApiApp, loginAs, OperatorClient, startApi } from '../support/api-app';
import { expectApiError } from '../support/api-envelope';
import { addOperator, ConnectPair, PUBLIC_URL, startConnectPair, webhookSecret } from '../support/connect-flow';

describe('Sandbox control plane pass-through (/api/sandbox/*)', () => {
  let pair: ConnectPair;
  let admin: OperatorClient;
  let operator: OperatorClient;
  let viewer: OperatorClient;

  beforeAll(async () => {
    pair = await startConnectPair();
    admin = await loginAs(pair.api);
    operator = await addOperator(pair.api, 'operator');
    viewer = await addOperator(pair.api, 'viewer');
  });

  afterAll(async () => {
    await pair?.close();
  });

  it("should pass an operator's request through to the sandbox and answer its status and body", async () => {
    const res = await operator.get('/api/sandbox/clock');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ object: 'sandbox_clock', now: expect.any(String), frozen: false });
    const direct = (await pair.sandbox.get('/sandbox/clock').expect(200)).body as { scale: number };
    expect((res.body as { scale: number }).scale).toBe(direct.scale);
  });

  it("should act on the api's own organisation, with the query string, and audit writes", async () => {
    const credential = (
      await admin
        .post('/api/credentials', {
          source_id: pair.sourceIds[0],
          username: 'user_good',
          password: 'pass-through-1',
          external_id: 'sandbox-pass',
        })
        .expect(201)
    ).body as CredentialView;
    const forced = await operator.post(`/api/sandbox/credentials/${credential.deck_id}/status`, { status: 'invalid' });
    expect(forced.status).toBe(200);
    const atDeck = (await pair.sandbox.get(`/v2/credentials/${credential.deck_id}`).expect(200)).body as {
      status: string;
    };
    expect(atDeck.status).toBe('invalid');
    const audit = await pair.api.app.get(DataSource).getRepository(AuditEntryRow).findBy({ action: 'sandbox.request' });
    expect(audit.map((a) => a.detail)).toContainEqual({
      method: 'POST',
      path: `/sandbox/credentials/${credential.deck_id}/status`,
      status: 200,
    });

    // The query string reaches the sandbox: a bad one is the sandbox's own 400.
    expect((await operator.get('/api/sandbox/attempts?after=0')).status).toBe(200);
    const bad = await operator.get('/api/sandbox/attempts?after=not-a-number');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ errors: [expect.objectContaining({ field: 'after' })] });
  });

  it("should relay the sandbox's refusals as they are", async () => {
    const res = await operator.post('/api/sandbox/credentials/cred_000000000000000000000000/status', {
      status: 'invalid',
    });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ errors: [expect.objectContaining({ code: expect.any(String) })] });
  });

  it('should never hand out a webhook signing secret, not even to an admin', async () => {
    const { id } = (
      await pair.sandbox
        .post('/v2/event-destinations')
        .send({ name: 'a receiver', events: ['*'], webhook: { url: 'http://127.0.0.1:9/hook' } })
        .expect(201)
    ).body as { id: string };
    // The sandbox itself shows it to whoever holds the organisation's key.
    await pair.sandbox.get(`/sandbox/event-destinations/${id}/secret`).expect(200);
    for (const path of [
      `/api/sandbox/event-destinations/${id}/secret`,
      `/api/sandbox/event-destinations/${id}/SECRET/`,
    ]) {
      const res = await admin.get(path);
      expectApiError(res, 403, 'forbidden');
      expect(JSON.stringify(res.body)).not.toContain('whsec_');
    }
  });

  it('should not let a path climb out of the control plane', async () => {
    const res = await operator.get('/api/sandbox/%2e%2e/v2/credentials');
    expect(expectApiError(res, 404, 'route_not_found').message).toMatch(/control plane/);
  });

  it('should need the operator role', async () => {
    expectApiError(await viewer.get('/api/sandbox/clock'), 403, 'forbidden');
    expectApiError(await request(pair.api.url).get('/api/sandbox/clock'), 401, 'unauthenticated');
    expectApiError(await viewer.post('/api/sandbox/clock/freeze'), 403, 'forbidden');
    const clock = (await pair.sandbox.get('/sandbox/clock').expect(200)).body as { frozen: boolean };
    expect(clock.frozen).toBe(false);
  });

  describe('when Deck is not the sandbox (DECK_SANDBOX=false)', () => {
    let realDeck: ApiApp;

    beforeAll(async () => {
      realDeck = await startApi({
        DECK_API_URL: `${pair.deck.url}/v2`,
        DECK_API_KEY: pair.sandbox.apiKey,
        DECK_WEBHOOK_SECRET: webhookSecret(),
        DECK_SANDBOX: 'false',
        CATCH_UP_INTERVAL_MS: '3600000',
        PUBLIC_URL,
      });
    });

    afterAll(async () => {
      await realDeck?.close();
    });

    it('should answer 404 route_not_found', async () => {
      const operatorThere = await loginAs(realDeck);
      expectApiError(await operatorThere.get('/api/sandbox/clock'), 404, 'route_not_found');
      expectApiError(await operatorThere.post('/api/sandbox/clock/freeze'), 404, 'route_not_found');
      const clock = (await pair.sandbox.get('/sandbox/clock').expect(200)).body as { frozen: boolean };
      expect(clock.frozen).toBe(false);
    });
  });
});
