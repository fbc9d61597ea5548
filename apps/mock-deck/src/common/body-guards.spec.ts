import { bodyShapeProblem } from './body-guards';

describe(bodyShapeProblem.name, () => {
  it('should pass well-formed text, paired surrogates (an emoji) included', () => {
    expect(bodyShapeProblem({ name: 'Bank 🏦', tags: ['a', { b: 'c' }], n: 1, none: null }, 32)).toBeNull();
  });

  it('should name the dotted path of a string with a lone surrogate, high or low', () => {
    expect(bodyShapeProblem({ webhook: { url: 'x\ud800y' } }, 32)).toEqual({
      kind: 'malformed_text',
      field: 'webhook.url',
      key: false,
    });
    expect(bodyShapeProblem({ events: ['ok', '\udc00'] }, 32)).toEqual({
      kind: 'malformed_text',
      field: 'events.1',
      key: false,
    });
  });

  it('should name the object holding a key with a lone surrogate, never the key', () => {
    expect(bodyShapeProblem({ '\ud800': 1 }, 32)).toEqual({ kind: 'malformed_text', field: '', key: true });
    expect(bodyShapeProblem({ input: { 'a\udbffb': 1 } }, 32)).toEqual({
      kind: 'malformed_text',
      field: 'input',
      key: true,
    });
  });

  it('should find nesting deeper than the cap without overflowing the call stack', () => {
    const deep = JSON.parse(`${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`) as unknown;
    expect(bodyShapeProblem(deep, 32)).toEqual({ kind: 'too_deep' });
    expect(bodyShapeProblem({ a: { b: {} } }, 3)).toBeNull();
    expect(bodyShapeProblem({ a: { b: {} } }, 2)).toEqual({ kind: 'too_deep' });
  });
});
