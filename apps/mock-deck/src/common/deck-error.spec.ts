import { DeckError } from './deck-error';

describe(DeckError.name, () => {
  it('should carry the status and Deck type of its first problem and list every problem', () => {
    const error = new DeckError([
      { code: 'input_missing', field: 'name', message: '`name` is required.' },
      { code: 'input_invalid', field: 'limit', message: '`limit` is invalid.' },
    ]);
    expect(error.status).toBe(400);
    expect(error.toItems()).toEqual([
      { type: 'request', code: 'input_missing', field: 'name', message: '`name` is required.' },
      { type: 'request', code: 'input_invalid', field: 'limit', message: '`limit` is invalid.' },
    ]);
  });

  it('should leave field out when the problem is not about one input', () => {
    const error = new DeckError(
      'idempotency_error',
      'Idempotency key has already been used with different parameters.',
    );
    expect(error.status).toBe(409);
    expect(error.toItems()).toEqual([
      {
        type: 'idempotency',
        code: 'idempotency_error',
        message: 'Idempotency key has already been used with different parameters.',
      },
    ]);
  });
});
