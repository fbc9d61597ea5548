import type { NextFunction, Request, Response } from 'express';

import { DeckError } from './deck-error';

/** Deepest nesting a JSON body may have; nothing the sandbox takes comes close. */
export const MAX_BODY_DEPTH = 32;

/** The one route that also takes YAML text (a scenario file). */
const YAML_ROUTE = { method: 'POST', path: '/sandbox/scenarios' };
const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml'];

function hasBody(request: Request): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function mediaType(request: Request): string {
  return (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

function isJsonType(type: string): boolean {
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

/**
 * JSON only: a body of any other type (a form, plain text, none named) is
 * refused with 415 before any parser sees it, so nothing is read the wrong way.
 */
export function requireJsonBodies(request: Request, _response: Response, next: NextFunction): void {
  if (!hasBody(request)) {
    next();
    return;
  }
  const type = mediaType(request);
  const yamlAllowed = request.method === YAML_ROUTE.method && request.path.replace(/\/+$/, '') === YAML_ROUTE.path;
  if (isJsonType(type) || (yamlAllowed && YAML_TYPES.includes(type))) {
    next();
    return;
  }
  const accepted = yamlAllowed ? 'application/json or application/yaml' : 'application/json';
  next(new DeckError('content_type_unsupported', `Send the body as ${accepted} (got ${type || 'no Content-Type'}).`));
}

/** A UTF-16 surrogate without its partner: no encoder can write it, so SQLite, hashes and JSON output would mangle it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * What is wrong with a parsed body, if anything: too deep, or a string (`field`
 * is its dotted path) or a key (`key: true`, `field` is the object holding it,
 * empty at the top) that is not well-formed text.
 */
export type BodyShapeProblem = { kind: 'too_deep' } | { kind: 'malformed_text'; field: string; key: boolean };

/**
 * The first problem in `value`: nesting deeper than `max` objects or arrays,
 * or a lone surrogate in a key or string. Walks with its own stack, so a
 * hostile body cannot overflow the call stack here.
 */
export function bodyShapeProblem(value: unknown, max: number): BodyShapeProblem | null {
  const stack: { item: unknown; depth: number; field: string }[] = [{ item: value, depth: 0, field: '' }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { item, depth, field } = next;
    if (typeof item === 'string') {
      if (LONE_SURROGATE.test(item)) {
        return { kind: 'malformed_text', field, key: false };
      }
      continue;
    }
    if (typeof item !== 'object' || item === null) {
      continue;
    }
    if (depth + 1 > max) {
      return { kind: 'too_deep' };
    }
    for (const [key, child] of Object.entries(item)) {
      if (LONE_SURROGATE.test(key)) {
        return { kind: 'malformed_text', field, key: true };
      }
      stack.push({ item: child, depth: depth + 1, field: field ? `${field}.${key}` : key });
    }
  }
  return null;
}

/** The refusal for a lone surrogate, naming where it is; a bad key is not echoed, since no one could read it back. */
function malformedTextError({ field, key }: { field: string; key: boolean }): DeckError {
  const what = key ? `A field name in ${field ? `\`${field}\`` : 'the request body'}` : `\`${field}\``;
  return new DeckError(
    'input_invalid',
    `${what} is not well-formed text: it has a lone UTF-16 surrogate.`,
    field || undefined,
  );
}

/**
 * Runs right after the parsers, before guards, the idempotency hash, pipes or
 * validation walk the body (all of those recurse): a JSON body must be an
 * object nested at most `MAX_BODY_DEPTH` deep, with well-formed text only.
 */
export function checkJsonBody(request: Request, _response: Response, next: NextFunction): void {
  if (!hasBody(request) || !isJsonType(mediaType(request))) {
    next();
    return;
  }
  const body: unknown = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    next(new DeckError('body_invalid', 'The request body must be a JSON object.'));
    return;
  }
  const problem = bodyShapeProblem(body, MAX_BODY_DEPTH);
  if (problem?.kind === 'too_deep') {
    next(new DeckError('body_invalid', `The request body is nested deeper than ${MAX_BODY_DEPTH} levels.`));
  } else if (problem?.kind === 'malformed_text') {
    next(malformedTextError(problem));
  } else {
    next();
  }
}

/**
 * The deepest bracket nesting in YAML or JSON text (quoted text skipped), so a
 * scenario file too deep for the parser is refused before it is parsed.
 */
export function textNestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quote) {
      if (char === '\\' && quote === '"') {
        i++;
      } else if (char === quote) {
        quote = null;
      }
    } else if ((char === '"' || char === "'") && /^$|[\s:[{,-]$/.test(text.slice(Math.max(0, i - 1), i))) {
      // Only where a quoted scalar can start: `don't` inside plain text opens nothing.
      quote = char;
    } else if (char === '[' || char === '{') {
      deepest = Math.max(deepest, ++depth);
    } else if ((char === ']' || char === '}') && depth > 0) {
      depth--;
    }
  }
  return deepest;
}
