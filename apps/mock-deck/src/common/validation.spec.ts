import type { Request, Response } from 'express';

import { DeckError } from './deck-error';
import { refusePrototypeQuery } from './validation';

function answer(url: string): unknown {
  let passed: unknown = 'not called';
  refusePrototypeQuery({ originalUrl: url } as Request, {} as Response, (error?: unknown) => {
    passed = error;
  });
  return passed;
}

describe(refusePrototypeQuery.name, () => {
  it('should let a path without prototype keys through', () => {
    expect(answer('/health')).toBeUndefined();
    expect(answer('/v2/task-runs?status=queued&limit=5&proto=1')).toBeUndefined();
  });

  it.each([
    ['/health?__proto__=1', '__proto__'],
    ['/v2/agents/agt_1?constructor=1', 'constructor'],
    ['/v2/events?filter[prototype]=1', 'filter[prototype]'],
    ['/v2/events?a.__proto__.b=1', 'a.__proto__.b'],
    ['/sandbox/clock?%5F%5Fproto%5F%5F=1', '__proto__'],
  ])('should refuse %s as input_invalid naming %s', (url, field) => {
    const error = answer(url);
    expect(error).toBeInstanceOf(DeckError);
    expect((error as DeckError).status).toBe(400);
    expect((error as DeckError).toItems()).toEqual([
      { type: 'request', code: 'input_invalid', field, message: `\`${field}\` is not a recognised field.` },
    ]);
  });
});
