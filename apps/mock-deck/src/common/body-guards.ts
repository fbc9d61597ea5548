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

/**
 * True when `value` nests deeper than `max` objects or arrays. Walks with its
 * own stack, so a hostile body cannot overflow the call stack here.
 */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop() as [unknown, number];
    if (typeof item !== 'object' || item === null) {
      continue;
    }
    if (depth + 1 > max) {
      return true;
    }
    for (const child of Object.values(item)) {
      stack.push([child, depth + 1]);
    }
  }
  return false;
}

/**
 * Runs right after the parsers, before guards, the idempotency hash, pipes or
 * validation walk the body (all of those recurse): a JSON body must be an
 * object nested at most `MAX_BODY_DEPTH` deep.
 */
export function checkJsonBody(request: Request, _response: Response, next: NextFunction): void {
  if (!hasBody(request) || !isJsonType(mediaType(request))) {
    next();
    return;
  }
  const body: unknown = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    next(new DeckError('body_invalid', 'The request body must be a JSON object.'));
  } else if (nestsDeeperThan(body, MAX_BODY_DEPTH)) {
    next(new DeckError('body_invalid', `The request body is nested deeper than ${MAX_BODY_DEPTH} levels.`));
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
