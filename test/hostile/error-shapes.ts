import type { Response } from 'supertest';

import { API_ERROR_CODES, ApiErrorBody } from '@app/contracts';
import type { DeckErrorEnvelope } from '@app/deck';

/** Checks an answer's body; returns what is wrong with it, empty when nothing is. */
export type ShapeCheck = (res: Response, codes: readonly string[] | null) => string[];

const STACK = /(\bat .+\.(ts|js):\d+)|(\n\s+at )|node_modules/;

function common(res: Response): string[] {
  const problems: string[] = [];
  if (!/application\/json/.test(String(res.headers['content-type']))) {
    problems.push(`content-type ${String(res.headers['content-type'])}, not JSON`);
  }
  if (STACK.test(res.text ?? '')) {
    problems.push('stack trace text in the body');
  }
  return problems;
}

/** Deck's envelope: `{errors: [{type, code, message, field?}], request_id: "req_…"}`. */
export const deckShape: ShapeCheck = (res, codes) => {
  const problems = common(res);
  const body = res.body as Partial<DeckErrorEnvelope> | undefined;
  if (typeof body?.request_id !== 'string' || !/^req_[A-Za-z0-9]{24}$/.test(body.request_id)) {
    problems.push('no req_ request_id');
  }
  const first = Array.isArray(body?.errors) ? body.errors[0] : undefined;
  if (!first || typeof first.type !== 'string' || typeof first.message !== 'string') {
    problems.push('not Deck’s error envelope');
  } else if (codes && !codes.includes(first.code)) {
    problems.push(`code ${first.code}, expected ${codes.join(' or ')}`);
  }
  return problems;
};

/** The api's shape: `{statusCode, code, message, details?, request_id}`. */
export const apiShape: ShapeCheck = (res, codes) => {
  const problems = common(res);
  const body = res.body as Partial<ApiErrorBody> | undefined;
  if (typeof body?.request_id !== 'string' || body.request_id === '') {
    problems.push('no request_id');
  }
  if (body?.statusCode !== res.status || typeof body.message !== 'string' || !body.code) {
    problems.push('not the api’s error shape');
  } else if (!(API_ERROR_CODES as readonly string[]).includes(body.code)) {
    problems.push(`unknown code ${body.code}`);
  } else if (codes && !codes.includes(body.code)) {
    problems.push(`code ${body.code}, expected ${codes.join(' or ')}`);
  }
  return problems;
};

/** Either shape: the api's sandbox pass-through answers with the sandbox's own envelope when the sandbox refused. */
export const apiOrDeckShape: ShapeCheck = (res, codes) => {
  const asApi = apiShape(res, codes);
  return asApi.length === 0 || deckShape(res, codes).length === 0 ? [] : asApi;
};
