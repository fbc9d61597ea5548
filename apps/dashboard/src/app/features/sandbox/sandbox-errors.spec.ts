import type { ApiProblem } from '../../core/http/api-problem';
import { describeSandboxProblem, problemLines } from './sandbox-errors';

function problem(status: number, body: unknown, extra: Partial<ApiProblem> = {}): ApiProblem {
  return { status, code: status >= 500 ? 'internal' : 'validation_failed', message: '', details: [], body, ...extra };
}

describe(describeSandboxProblem.name, () => {
  it("should use the message of Deck's envelope as the sentence", () => {
    const failure = describeSandboxProblem(
      problem(404, {
        errors: [{ type: 'request', code: 'scenario_not_found', message: 'No scenario named `x` exists.' }],
        request_id: 'req_1',
      }),
    );

    expect(failure).toEqual({
      sentence: 'The sandbox refused this: No scenario named `x` exists.',
      problems: [{ field: null, message: 'No scenario named `x` exists.' }],
      listed: false,
      status: 404,
    });
  });

  it('should list every field problem when the sandbox gives several', () => {
    const failure = describeSandboxProblem(
      problem(400, {
        errors: [
          { type: 'request', code: 'input_missing', field: 'runs[0].steps', message: '`runs[0].steps` is required.' },
          { type: 'request', code: 'input_invalid', field: 'name', message: 'must be a string' },
        ],
      }),
    );

    expect(failure.sentence).toBe('The sandbox refused this, with 2 problems.');
    expect(problemLines(failure)).toEqual(['`runs[0].steps` is required.', 'name: must be a string']);
  });

  it('should read the single-error form with nested field errors', () => {
    const failure = describeSandboxProblem(
      problem(400, {
        error: {
          type: 'request',
          code: 'input_invalid',
          message: 'The scenario is not valid',
          errors: [{ code: 'input_invalid', field: 'runs', message: 'must have at least 1 item' }],
        },
      }),
    );

    expect(failure.sentence).toBe('The scenario is not valid.');
    expect(failure.problems).toEqual([{ field: 'runs', message: 'must have at least 1 item' }]);
    expect(problemLines(failure)).toEqual(['runs: must have at least 1 item']);
  });

  it("should fall back to the api's own problem in words", () => {
    const failure = describeSandboxProblem({
      status: 503,
      code: 'deck_unavailable',
      message: 'The sandbox is not answering right now.',
      details: [],
      body: { statusCode: 503, code: 'deck_unavailable', message: 'The sandbox is not answering right now.' },
    });

    expect(failure.sentence).toMatch(/Deck is not answering/);
    expect(failure.problems).toEqual([]);
    expect(problemLines(failure)).toEqual([]);
  });

  it("should keep the api's field errors", () => {
    const failure = describeSandboxProblem({
      status: 400,
      code: 'validation_failed',
      message: 'The request is not valid.',
      details: [{ field: 'external_id', message: 'external_id must not be blank' }],
    });

    expect(failure.sentence).toBe('external_id must not be blank.');
    expect(failure.problems).toEqual([{ field: 'external_id', message: 'external_id must not be blank' }]);
    expect(problemLines(failure)).toEqual([]);
  });
});
