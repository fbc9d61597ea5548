import type { Response } from 'supertest';

import type { ApiErrorBody } from '@app/contracts';

/** Asserts the api's one error shape: status, code, a message, no stack trace. */
export function expectApiError(res: Response, status: number, code: string, field?: string): ApiErrorBody {
  expect(res.status).toBe(status);
  const body = res.body as ApiErrorBody;
  expect(body).toMatchObject({ statusCode: status, code, message: expect.any(String) });
  if (field !== undefined) {
    expect((body.details ?? []).map((d) => d.field)).toContain(field);
  }
  expect(JSON.stringify(body)).not.toMatch(/at .+\.(ts|js):\d+/);
  return body;
}
