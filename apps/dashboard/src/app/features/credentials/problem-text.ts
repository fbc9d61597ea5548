import { ApiProblem, describeProblem, toApiProblem } from '../../core/http/api-problem';

/**
 * A failed request as a sentence. The session interceptor already turns every
 * error into an `ApiProblem`; anything else (a test without it) is converted here.
 */
export function problemText(error: unknown): string {
  const isProblem =
    typeof error === 'object' && error !== null && 'code' in error && 'status' in error && 'details' in error;
  return describeProblem(isProblem ? (error as ApiProblem) : toApiProblem(error));
}
