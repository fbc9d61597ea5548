import { validateMockDeckEnv } from './mock-deck.config';

describe(validateMockDeckEnv.name, () => {
  it('should accept an empty environment (every setting has a default)', () => {
    expect(() => validateMockDeckEnv({})).not.toThrow();
  });

  it('should name the bad variable but never echo its value', () => {
    const secretLookingValue = 'sk_live_should_not_be_printed';
    let message = '';
    try {
      validateMockDeckEnv({ MOCK_DECK_PORT: secretLookingValue, MOCK_DECK_CANCEL_SPELLING: 'cancelled' });
    } catch (error: unknown) {
      message = (error as Error).message;
    }
    expect(message).toContain('MOCK_DECK_PORT');
    expect(message).toContain('MOCK_DECK_CANCEL_SPELLING');
    expect(message).not.toContain(secretLookingValue);
  });
});
