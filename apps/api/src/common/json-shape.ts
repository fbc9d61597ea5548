/**
 * How deeply any JSON the api accepts may nest: far above a real form, a
 * sandbox request or a Deck event, far below what overflows a recursive walk
 * (class-transformer, JSON.stringify, TypeORM's copies).
 */
export const MAX_JSON_DEPTH = 32;

/** A UTF-16 surrogate without its partner: text no encoder can write, which breaks hashing, SQLite and JSON output. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isWellFormedText(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

/** What is wrong with a parsed body, if anything: too deep, or a key or string that is not well-formed text (with where). */
export type JsonShapeProblem = { kind: 'too_deep' } | { kind: 'malformed_text'; field: string };

/**
 * Walks a parsed JSON value with its own stack (no recursion, so no nesting can
 * overflow it) and stops at the first problem.
 */
export function jsonShapeProblem(value: unknown, maxDepth = MAX_JSON_DEPTH): JsonShapeProblem | null {
  const pending: { value: unknown; depth: number; field: string }[] = [{ value, depth: 0, field: '' }];
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    if (typeof item.value === 'string') {
      if (!isWellFormedText(item.value)) {
        return { kind: 'malformed_text', field: item.field || '(body)' };
      }
      continue;
    }
    if (typeof item.value !== 'object' || item.value === null) {
      continue;
    }
    if (item.depth >= maxDepth) {
      return { kind: 'too_deep' };
    }
    for (const [key, child] of Object.entries(item.value)) {
      const field = item.field ? `${item.field}.${key}` : key;
      if (!isWellFormedText(key)) {
        return { kind: 'malformed_text', field: item.field || '(body)' };
      }
      pending.push({ value: child, depth: item.depth + 1, field });
    }
  }
  return null;
}

/**
 * How deeply a JSON text nests its objects and arrays, read character by
 * character (strings skipped) without parsing it: for bodies that must be
 * judged before anything builds them.
 */
export function jsonTextDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) {
        i++; // the escaped character, a quote included
      } else if (c === 0x22) {
        inString = false;
      }
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      deepest = Math.max(deepest, ++depth);
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return deepest;
}
