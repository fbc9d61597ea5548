import type { DeckInteraction } from '@app/deck';

import { answerFor, checkAnswerFields, checkAnswerShape } from './answer-input';

const MFA: DeckInteraction = {
  type: 'mfa',
  message: 'Enter the code',
  fields: [{ name: 'code', type: 'string', label: 'Code' }],
};

/** A prompt whose field names are the keys attackers reach for. */
const HOSTILE: DeckInteraction = {
  type: 'custom',
  message: 'x',
  fields: [
    { name: '__proto__', type: 'string', label: 'a' },
    { name: 'constructor', type: 'string', label: 'b' },
  ],
};

describe('answer input checks', () => {
  describe(checkAnswerShape.name, () => {
    it('should accept up to 10 text values of up to 1000 characters', () => {
      const input = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`f${i}`, 'x'.repeat(1000)]));
      expect(checkAnswerShape(input)).toEqual([]);
    });

    it('should refuse an eleventh field', () => {
      const input = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`f${i}`, 'x']));
      expect(checkAnswerShape(input)).toEqual([{ field: 'input', message: expect.any(String) }]);
    });

    it('should name each value that is not text or is too long, without echoing it', () => {
      const problems = checkAnswerShape({ code: 123456, note: 'y'.repeat(1001), ok: 'fine' });
      expect(problems.map((p) => p.field)).toEqual(['input.code', 'input.note']);
      expect(JSON.stringify(problems)).not.toContain('123456');
    });
  });

  describe(checkAnswerFields.name, () => {
    it('should accept exactly the prompt fields', () => {
      expect(checkAnswerFields(MFA, { code: '123456' })).toEqual([]);
    });

    it('should name a missing or blank field and an extra one', () => {
      expect(checkAnswerFields(MFA, {}).map((p) => p.field)).toEqual(['input.code']);
      expect(checkAnswerFields(MFA, { code: '   ' }).map((p) => p.field)).toEqual(['input.code']);
      expect(checkAnswerFields(MFA, { code: '1', extra: '2' }).map((p) => p.field)).toEqual(['input.extra']);
    });

    it('should treat prototype names as plain field names', () => {
      const input = JSON.parse('{"__proto__":"a","constructor":"b"}') as Record<string, unknown>;
      expect(checkAnswerFields(HOSTILE, input)).toEqual([]);
      // `{}` inherits `constructor` and `__proto__`; inherited names must not count as given.
      expect(checkAnswerFields(HOSTILE, {}).map((p) => p.field)).toEqual(['input.__proto__', 'input.constructor']);
    });
  });

  describe(answerFor.name, () => {
    it('should build own properties only, leaving Object.prototype untouched', () => {
      const input = JSON.parse('{"__proto__":"a","constructor":"b"}') as Record<string, unknown>;
      const answer = answerFor(HOSTILE, input);
      expect(Object.keys(answer)).toEqual(['__proto__', 'constructor']);
      expect(JSON.parse(JSON.stringify(answer))).toEqual(input);
      expect(Object.getPrototypeOf(answer)).toBe(Object.prototype);
      expect(({} as Record<string, unknown>).constructor).toBe(Object);
    });

    it('should send only the prompt fields', () => {
      expect(answerFor(MFA, { code: '123456', extra: 'x' })).toEqual({ code: '123456' });
    });
  });
});
