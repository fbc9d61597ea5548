import type { DeckEvent } from '@app/deck';

import { UnparsedBody } from './inbox-event';
import { listedEventBody, parseWebhookBody } from './webhook-body';

const event = (data: unknown): DeckEvent =>
  ({
    id: 'evt_1',
    object: 'event',
    type: 'credential.verified',
    data,
    created_at: '2026-01-01T00:00:00.000Z',
  }) as DeckEvent;

/** `{"a":{"a":…1…}}`, `levels` objects deep. */
function nested(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) {
    value = { a: value };
  }
  return value;
}

describe('webhook bodies', () => {
  it('should pass an ordinary listed event through as it is', () => {
    const ordinary = event({ id: 'cred_1', status: 'verified' });
    expect(listedEventBody(ordinary)).toBe(ordinary);
  });

  it('should hold a listed event nested 10,000 levels, keeping its id and type for review', () => {
    const body = listedEventBody(event(nested(10_000)));
    expect(body).toBeInstanceOf(UnparsedBody);
    expect((body as UnparsedBody).reason).toBe('the listed event nests deeper than 32 levels');
    expect(JSON.parse((body as UnparsedBody).text)).toEqual({
      id: 'evt_1',
      type: 'credential.verified',
      created_at: '2026-01-01T00:00:00.000Z',
    });
  });

  it('should hold a listed event whose text has a lone surrogate, naming the field', () => {
    const body = listedEventBody(event({ id: 'cred_1', external_id: 'x\ud800y' }));
    expect((body as UnparsedBody).reason).toBe('the listed event has malformed text in data.external_id');
  });

  it('should judge a signed body by its depth before parsing it', () => {
    const deep = `${'{"a":'.repeat(40)}1${'}'.repeat(40)}`;
    expect(parseWebhookBody(deep)).toBeInstanceOf(UnparsedBody);
    expect(parseWebhookBody('{"id":"evt_1"}')).toEqual({ id: 'evt_1' });
    expect((parseWebhookBody('not json') as UnparsedBody).reason).toBe('the signed body is not JSON');
  });
});
