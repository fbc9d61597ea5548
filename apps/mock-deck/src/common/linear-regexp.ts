import type { RegExpEngine, RegExpLike } from 'ajv/dist/types';
import { RE2JS } from 're2js';

/** A schema `pattern` that cannot be matched in linear time (backreferences, lookaround) or is not a regular expression. */
export class UnsupportedPatternError extends Error {
  constructor() {
    super('pattern is not supported');
  }
}

/** One compiled pattern, as Ajv calls it. */
class LinearPattern implements RegExpLike {
  constructor(
    private readonly re: RE2JS,
    private readonly source: string,
  ) {}

  test(input: string): boolean {
    return this.re.test(input);
  }

  /** Ajv caches compiled patterns under this, so it must tell patterns apart. */
  toString(): string {
    return this.source;
  }
}

/**
 * Ajv's regular-expression engine for schemas that come from requests: re2
 * matches in time linear in the input, so no `pattern` (`^(a+)+$` against
 * `aaaa…!`) can hold the one event loop every organisation shares. A pattern
 * must also be a valid ECMAScript pattern, as JSON Schema says.
 */
export const linearRegExp: RegExpEngine = Object.assign(
  (pattern: string, flags: string): RegExpLike => {
    let re: RE2JS;
    try {
      // Compiling a JavaScript RegExp is linear; only matching with one can blow up.
      new RegExp(pattern, flags);
      re = RE2JS.compile(RE2JS.translateRegExp(pattern));
    } catch {
      throw new UnsupportedPatternError();
    }
    return new LinearPattern(re, `/${pattern}/${flags}`);
  },
  { code: 'linearRegExp' },
);
