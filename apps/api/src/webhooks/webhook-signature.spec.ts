import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

import { verifyDelivery } from './webhook-signature';

const secret = (): string => `whsec_${randomBytes(32).toString('base64')}`;
const CURRENT = secret();
const PREVIOUS = secret();
const BODY = Buffer.from('{"id":"evt_1","type":"credential.created"}');

function headers(signWith: string, at = new Date(), id = 'evt_1'): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(signWith).sign(id, at, BODY),
  };
}

describe('verifyDelivery', () => {
  it('should accept a signature from the current or the previous secret', () => {
    expect(verifyDelivery(BODY, headers(CURRENT), [CURRENT, PREVIOUS])).toEqual({ ok: true, webhookId: 'evt_1' });
    expect(verifyDelivery(BODY, headers(PREVIOUS), [CURRENT, PREVIOUS])).toEqual({ ok: true, webhookId: 'evt_1' });
  });

  it('should refuse another secret, another body, and no secret at all', () => {
    expect(verifyDelivery(BODY, headers(secret()), [CURRENT, PREVIOUS]).ok).toBe(false);
    expect(verifyDelivery(Buffer.from(`${BODY.toString()} `), headers(CURRENT), [CURRENT]).ok).toBe(false);
    expect(verifyDelivery(BODY, headers(CURRENT), [])).toEqual({ ok: false, reason: 'no webhook secret is loaded' });
  });

  it('should refuse a missing raw body, a missing or repeated header and a timestamp that is not whole seconds', () => {
    const good = headers(CURRENT);
    expect(verifyDelivery(undefined, good, [CURRENT]).ok).toBe(false);
    expect(verifyDelivery(BODY.toString(), good, [CURRENT]).ok).toBe(false);
    expect(verifyDelivery(BODY, { ...good, 'webhook-id': undefined }, [CURRENT]).ok).toBe(false);
    expect(verifyDelivery(BODY, { ...good, 'webhook-id': ['evt_1', 'evt_1'] }, [CURRENT]).ok).toBe(false);
    expect(verifyDelivery(BODY, { ...good, 'webhook-id': ['evt_1'] }, [CURRENT]).ok).toBe(true);
    expect(
      verifyDelivery(BODY, { ...good, 'webhook-timestamp': `${good['webhook-timestamp']}abc` }, [CURRENT]),
    ).toEqual({ ok: false, reason: 'webhook-timestamp is not whole Unix seconds' });
  });

  it('should refuse timestamps more than five minutes away, either way', () => {
    const old = new Date(Date.now() - 301_000);
    const ahead = new Date(Date.now() + 301_000);
    expect(verifyDelivery(BODY, headers(CURRENT, old), [CURRENT])).toEqual({
      ok: false,
      reason: 'Message timestamp too old',
    });
    expect(verifyDelivery(BODY, headers(CURRENT, ahead), [CURRENT])).toEqual({
      ok: false,
      reason: 'Message timestamp too new',
    });
  });

  it('should fail closed, never throw, when the secret itself is unusable', () => {
    expect(verifyDelivery(BODY, headers(CURRENT), ['whsec_'])).toEqual({ ok: false, reason: 'signature check failed' });
  });
});
