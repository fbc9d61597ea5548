import type { Response } from 'supertest';

import type { DeckErrorEnvelope } from '@app/deck';

/** Asserts Deck's error envelope: status, first error's code and field, a request id and no stack trace. */
export function expectDeckError(res: Response, status: number, code: string, field?: string): DeckErrorEnvelope {
  expect(res.status).toBe(status);
  const body = res.body as DeckErrorEnvelope;
  expect(body.request_id).toMatch(/^req_[A-Za-z0-9]{24}$/);
  expect(Array.isArray(body.errors)).toBe(true);
  expect(body.errors.length).toBeGreaterThan(0);
  expect(body.errors[0].code).toBe(code);
  expect(typeof body.errors[0].type).toBe('string');
  expect(typeof body.errors[0].message).toBe('string');
  if (field !== undefined) {
    expect(body.errors.map((e) => e.field)).toContain(field);
  }
  expect(JSON.stringify(body)).not.toMatch(/at .+\.(ts|js):\d+/);
  return body;
}
