import type { Response } from 'supertest';

import { changedTables, Snapshot } from './db-snapshot';
import type { ShapeCheck } from './error-shapes';
import type { BodyField, OpenApi } from './openapi';
import { Route, WRITE_METHODS } from './route-table';

/** One request to send: the body is raw text, sent byte for byte. */
export interface HostileRequest {
  /** What is hostile about it, for failure messages (e.g. the field). */
  label: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** An app under test, signed in, with fixtures for path parameters. */
export interface Target {
  openApi: OpenApi;
  /** The JSON body limit in bytes. */
  bodyLimit: number;
  shape: ShapeCheck;
  /** Error codes by input class, in this app's vocabulary (null: any code of the shape). */
  codes: Partial<Record<InputClassId, readonly string[]>>;
  /** A status other than the class's own, where this target answers first for another reason (e.g. 401 unsigned). */
  statuses?: Partial<Record<InputClassId, number>>;
  /** The route's path with real (or plausible) values in its parameters; throws naming an unknown one. */
  pathOf(route: Route): string;
  /** A valid body for the route, that hostile values are put into one field at a time. */
  exampleBody(route: Route): Record<string, unknown> | undefined;
  send(request: HostileRequest): Promise<Response>;
  snapshot(route: Route): Promise<Snapshot>;
  /** Resolves once the app's background work (deliveries, scheduled steps) is done, so a snapshot is stable. */
  settle(): Promise<void>;
  /** Extra headers for a write, e.g. an idempotency key. */
  writeHeaders?: Record<string, string>;
}

export type InputClassId =
  | 'nested'
  | 'nested_idempotent'
  | 'form'
  | 'malformed'
  | 'string_body'
  | 'oversize'
  | 'lone_surrogate'
  | 'null_fields'
  | 'proto_query'
  | 'bad_path_param';

export interface InputClass {
  id: InputClassId;
  /** Ends the test title: `POST /v2/agents refuses …`. */
  title: string;
  status: number;
  applies(route: Route): boolean;
  requests(route: Route, target: Target): HostileRequest[];
}

const JSON_TYPE = { 'Content-Type': 'application/json' };
const NESTING = 3000;
/** A lone high surrogate: JSON.stringify writes it as the escape text `\ud800`, which JSON.parse accepts. */
const LONE_SURROGATE = 'x\ud800y';

export const nestedJson = (levels: number): string => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

const isWrite = (route: Route): boolean => WRITE_METHODS.has(route.method);

function raw(route: Route, target: Target, label: string, body: string, headers = JSON_TYPE): HostileRequest {
  return { label, method: route.method, path: target.pathOf(route), headers, body };
}

/** The example body with `value` at `field` (intermediate objects made as needed). */
function withField(example: Record<string, unknown>, field: BodyField, value: unknown): Record<string, unknown> {
  const body = structuredClone(example);
  let node: Record<string, unknown> = body;
  for (const key of field.path.slice(0, -1)) {
    const next = node[key];
    node = node[key] = typeof next === 'object' && next !== null && !Array.isArray(next) ? { ...next } : {};
  }
  node[field.path[field.path.length - 1]] = field.array && value !== null ? [value] : value;
  return body;
}

/** The documented body fields of a route; throws with what to do when there is nothing to go on. */
function bodyFields(route: Route, target: Target): { example: Record<string, unknown>; fields: BodyField[] } {
  const schema = target.openApi.bodySchema(route);
  if (!schema?.properties) {
    throw new Error(
      `${route.method} ${route.path} takes a body but its OpenAPI document gives no fields: ` +
        'document the body DTO, or list the route as free-form in its app’s exceptions with a reason.',
    );
  }
  const example = target.exampleBody(route);
  if (!example) {
    throw new Error(`Add a valid example body for ${route.method} ${route.path} to its app's example bodies.`);
  }
  const unknown = Object.keys(example).filter((key) => !(key in (schema.properties ?? {})));
  const missing = (schema.required ?? []).filter((key) => !(key in example));
  if (unknown.length > 0 || missing.length > 0) {
    throw new Error(
      `The example body of ${route.method} ${route.path} does not match its schema ` +
        `(unknown: ${unknown.join(', ') || 'none'}; missing: ${missing.join(', ') || 'none'}).`,
    );
  }
  return { example, fields: target.openApi.fields(schema) };
}

export const INPUT_CLASSES: InputClass[] = [
  {
    id: 'nested',
    title: `refuses a body nested ${NESTING.toLocaleString('en')} levels`,
    status: 400,
    applies: isWrite,
    requests: (route, target) => [raw(route, target, 'nested body', nestedJson(NESTING))],
  },
  {
    id: 'nested_idempotent',
    title: `refuses a body nested ${NESTING.toLocaleString('en')} levels sent with an Idempotency-Key`,
    status: 400,
    applies: isWrite,
    requests: (route, target) => [
      raw(route, target, 'nested body', nestedJson(NESTING), { ...JSON_TYPE, ...target.writeHeaders }),
    ],
  },
  {
    id: 'form',
    title: 'refuses a form-encoded body with 415',
    status: 415,
    applies: isWrite,
    requests: (route, target) => [
      raw(route, target, 'form body', 'name=x&source_id=y', { 'Content-Type': 'application/x-www-form-urlencoded' }),
    ],
  },
  {
    id: 'malformed',
    title: 'refuses malformed JSON',
    status: 400,
    applies: isWrite,
    requests: (route, target) => [raw(route, target, 'malformed JSON', '{"name":')],
  },
  {
    id: 'string_body',
    title: 'refuses a JSON string as the whole body',
    status: 400,
    applies: isWrite,
    requests: (route, target) => [raw(route, target, 'string body', '"str"')],
  },
  {
    id: 'oversize',
    title: 'refuses a body over the size limit with 413',
    status: 413,
    applies: isWrite,
    requests: (route, target) => [
      raw(route, target, 'oversized body', `{"name":"${'x'.repeat(target.bodyLimit + 1024)}"}`),
    ],
  },
  {
    id: 'lone_surrogate',
    title: 'refuses a lone surrogate in every string field',
    status: 400,
    applies: (route) => isWrite(route) && route.hasBody,
    requests: (route, target) => {
      const { example, fields } = bodyFields(route, target);
      const strings = fields.filter((field) => field.string);
      if (strings.length === 0) {
        // No string field to carry it: the surrogate goes in as the name of an unknown field instead.
        return [raw(route, target, 'unknown field named with it', JSON.stringify({ ...example, [LONE_SURROGATE]: 1 }))];
      }
      return strings.map((field) =>
        raw(route, target, field.path.join('.'), JSON.stringify(withField(example, field, LONE_SURROGATE))),
      );
    },
  },
  {
    id: 'null_fields',
    title: 'refuses null in every field not documented as nullable',
    status: 400,
    applies: (route) => isWrite(route) && route.hasBody,
    requests: (route, target) => {
      const { example, fields } = bodyFields(route, target);
      return fields
        .filter((field) => !field.nullable)
        .map((field) => raw(route, target, field.path.join('.'), JSON.stringify(withField(example, field, null))));
    },
  },
  {
    id: 'proto_query',
    title: 'refuses __proto__ and constructor in the query string',
    status: 400,
    applies: (route) => route.method === 'GET',
    requests: (route, target) =>
      ['__proto__', 'constructor'].map((key) => ({
        label: `?${key}=1`,
        method: 'GET',
        path: `${target.pathOf(route)}?${key}=1`,
        headers: {},
      })),
  },
  {
    id: 'bad_path_param',
    title: 'refuses %ff in a path parameter',
    status: 400,
    applies: (route) => route.params.length > 0,
    requests: (route, target) =>
      route.params.map((param) => {
        const filled = target.pathOf({ ...route, path: route.path.replace(new RegExp(`[:*]${param}\\b`), '%ff') });
        return { label: `:${param} = %ff`, method: route.method, path: filled, headers: {} };
      }),
  },
];

/** Routes an input class is not for, by class and `METHOD path`, each with the reason. */
export type ClassExceptions = Partial<Record<InputClassId, Record<string, string>>>;

/** The routes an input class is generated for: those it applies to, less the listed exceptions. */
export function routesFor(inputClass: InputClass, routes: Route[], exceptions: ClassExceptions = {}): Route[] {
  const left = exceptions[inputClass.id] ?? {};
  return routes.filter((route) => inputClass.applies(route) && !left[`${route.method} ${route.path}`]);
}

/** Routes no input class is generated for: a new kind of route this suite would silently leave out. */
export function uncoveredRoutes(routes: Route[], exceptions: ClassExceptions = {}): string[] {
  return routes
    .filter((route) => INPUT_CLASSES.every((inputClass) => routesFor(inputClass, [route], exceptions).length === 0))
    .map((route) => `${route.method} ${route.path}`);
}

/**
 * Sends each hostile request of a class to a route and returns every way the
 * answers fall short: status, error shape, and any change to the database.
 * Each request is judged against the state just before it (the state after the previous one, settled).
 */
export async function problemsOf(inputClass: InputClass, route: Route, target: Target): Promise<string[]> {
  const problems: string[] = [];
  const requests = inputClass.requests(route, target);
  if (requests.length === 0) {
    return [`${inputClass.id} has no request to make for ${route.method} ${route.path}: narrow its applies()`];
  }
  const status = target.statuses?.[inputClass.id] ?? inputClass.status;
  await target.settle();
  let before = await target.snapshot(route);
  for (const request of requests) {
    const res = await target.send(request);
    await target.settle();
    const after = await target.snapshot(route);
    const found: string[] = [];
    if (res.status !== status) {
      found.push(`status ${res.status} (expected ${status})`);
    }
    found.push(...target.shape(res, target.codes[inputClass.id] ?? null));
    const changed = changedTables(before, after);
    if (changed.length > 0) {
      found.push(`changed ${changed.join(', ')}`);
    }
    if (found.length > 0) {
      problems.push(`${request.label}: ${found.join('; ')}`);
    }
    before = after;
  }
  return problems;
}
