import { Webhook } from 'standardwebhooks';

import type { DeliveryFaults } from '@app/deck';

import { buildWebhookRequest, parseCustomHeaders } from './webhook-request';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const OLD_SECRET = 'whsec_' + Buffer.alloc(32, 7).toString('base64');
const DECOY = 'whsec_' + Buffer.alloc(32, 9).toString('base64');
const BODY = '{"id":"evt_1","object":"event","type":"agent.created","data":{},"created_at":"2026-01-01T00:00:00.000Z"}';

function build(faults: DeliveryFaults | null, secrets = [SECRET], wallNow = new Date()) {
  return buildWebhookRequest({
    messageId: 'evt_1',
    body: BODY,
    secrets,
    customHeaders: { 'x-team': 'ops', 'webhook-id': 'spoofed' },
    faults,
    wallNow,
    randomSecret: () => DECOY,
  });
}

function signatures(headers: Record<string, string>): string[] {
  return headers['webhook-signature'].split(' ');
}

describe(buildWebhookRequest.name, () => {
  it('should sign the exact body as Standard Webhooks, the signing headers winning over custom ones', () => {
    const request = build(null);
    expect(request.faults).toEqual([]);
    expect(request.headers).toMatchObject({
      'x-team': 'ops',
      'webhook-id': 'evt_1',
      'content-type': 'application/json',
    });
    expect(new Webhook(SECRET).verify(request.body, request.headers)).toEqual(JSON.parse(BODY));
    expect(request.headers['webhook-timestamp']).toBe(String(request.webhookTimestamp));
  });

  it('should sign with both secrets during a rotation, current first', () => {
    const at = new Date();
    const request = build(null, [SECRET, OLD_SECRET], at);
    expect(signatures(request.headers)).toEqual([
      new Webhook(SECRET).sign('evt_1', at, BODY),
      new Webhook(OLD_SECRET).sign('evt_1', at, BODY),
    ]);
  });

  it('should sign a stale timestamp validly, so only the age check fails', () => {
    const at = new Date();
    const request = build({ stale_timestamp_s: 600 }, [SECRET], at);
    const stale = new Date(at.getTime() - 600_000);
    expect(request.webhookTimestamp).toBe(Math.floor(stale.getTime() / 1000));
    expect(signatures(request.headers)).toEqual([new Webhook(SECRET).sign('evt_1', stale, BODY)]);
    expect(() => new Webhook(SECRET).verify(request.body, request.headers)).toThrow(/too old/i);
    expect(request.faults).toEqual(['stale_timestamp_s']);
  });

  it('should sign with a wrong secret only under bad_signature', () => {
    const request = build({ bad_signature: true }, [SECRET, OLD_SECRET]);
    expect(signatures(request.headers)).toHaveLength(1);
    expect(() => new Webhook(SECRET).verify(request.body, request.headers)).toThrow();
    expect(() => new Webhook(OLD_SECRET).verify(request.body, request.headers)).toThrow();
    expect(new Webhook(DECOY).verify(request.body, request.headers)).toEqual(JSON.parse(BODY));
    expect(request.faults).toEqual(['bad_signature']);
  });

  it('should put a decoy signature before the real one under dual_signature', () => {
    const at = new Date();
    const request = build({ dual_signature: true }, [SECRET], at);
    expect(signatures(request.headers)).toEqual([
      new Webhook(DECOY).sign('evt_1', at, BODY),
      new Webhook(SECRET).sign('evt_1', at, BODY),
    ]);
    expect(new Webhook(SECRET).verify(request.body, request.headers)).toEqual(JSON.parse(BODY));
    expect(request.faults).toEqual(['dual_signature']);
  });

  it('should leave faults that are not about signing out of the request', () => {
    expect(build({ duplicate: 2, drop_first: 1, delay_ms: 5 }).faults).toEqual([]);
  });
});

describe(parseCustomHeaders.name, () => {
  it('should lower-case names and keep string values only', () => {
    expect(parseCustomHeaders('{"X-Team":"ops","X-Count":3}')).toEqual({ 'x-team': 'ops' });
  });

  it('should give nothing for absent or broken JSON', () => {
    expect(parseCustomHeaders(null)).toEqual({});
    expect(parseCustomHeaders('{')).toEqual({});
  });
});
