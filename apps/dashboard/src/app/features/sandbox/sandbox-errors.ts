import { asApiProblem, describeProblem } from '../../core/http/api-problem';

/*
 * The api passes the sandbox's own answers through, so a refusal from the
 * control plane arrives in Deck's envelope (`{errors: [{type, code, message,
 * field}], request_id}`, or the single-error form `{error: {…, errors?}}`),
 * with the sandbox's status, instead of the api's ApiProblem. Both become a
 * sentence and a list of field problems here.
 */

/** One problem with one input, as the sandbox names it (`field` is a path like `runs[0].steps`). */
export interface SandboxFieldProblem {
  field: string | null;
  message: string;
}

export interface SandboxFailure {
  /** What went wrong, as a sentence. */
  sentence: string;
  /** Every problem with its field (a scenario's problems carry their paths here). */
  problems: SandboxFieldProblem[];
  /** The problems are listed under the sentence (the sentence does not already say them). */
  listed: boolean;
  status: number;
}

interface EnvelopeItem {
  code?: unknown;
  message?: unknown;
  field?: unknown;
}

function items(value: unknown): EnvelopeItem[] {
  return Array.isArray(value) ? value.filter((v): v is EnvelopeItem => typeof v === 'object' && v !== null) : [];
}

function toProblem(item: EnvelopeItem): SandboxFieldProblem | null {
  if (typeof item.message !== 'string' || item.message === '') {
    return null;
  }
  return { field: typeof item.field === 'string' && item.field !== '' ? item.field : null, message: item.message };
}

function sentence(message: string): string {
  const trimmed = message.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** The envelope's problems, or null when the body is not Deck's envelope. */
function envelopeProblems(body: unknown): { lead: string | null; problems: SandboxFieldProblem[] } | null {
  if (typeof body !== 'object' || body === null) {
    return null;
  }
  const record = body as { errors?: unknown; error?: unknown };
  if (Array.isArray(record.errors)) {
    const problems = items(record.errors)
      .map(toProblem)
      .filter((p): p is SandboxFieldProblem => p !== null);
    return problems.length > 0 ? { lead: null, problems } : null;
  }
  if (typeof record.error === 'object' && record.error !== null) {
    const single = record.error as EnvelopeItem & { errors?: unknown };
    const nested = items(single.errors)
      .map(toProblem)
      .filter((p): p is SandboxFieldProblem => p !== null);
    const own = toProblem(single);
    if (nested.length > 0) {
      return { lead: own?.message ?? null, problems: nested };
    }
    return own ? { lead: null, problems: [own] } : null;
  }
  return null;
}

/** Any failure of a `/api/sandbox/*` call (or an api call beside it) in words. */
export function describeSandboxProblem(error: unknown): SandboxFailure {
  const problem = asApiProblem(error);
  const envelope = envelopeProblems(problem.body);
  if (envelope === null) {
    return {
      sentence: describeProblem(problem),
      problems: problem.details.map((d) => ({ field: d.field || null, message: d.message })),
      listed: false,
      status: problem.status,
    };
  }
  const { lead, problems } = envelope;
  let text: string;
  if (lead !== null) {
    text = sentence(lead);
  } else if (problems.length === 1) {
    text = `The sandbox refused this: ${sentence(problems[0].message)}`;
  } else {
    text = `The sandbox refused this, with ${problems.length} problems.`;
  }
  return { sentence: text, problems, listed: problems.length > 1 || lead !== null, status: problem.status };
}

/** Field problems as they are listed under the sentence, one line each. */
export function problemLines(failure: SandboxFailure): string[] {
  if (!failure.listed) {
    return [];
  }
  return failure.problems.map((p) =>
    p.field && !p.message.includes(p.field) ? `${p.field}: ${p.message}` : p.message,
  );
}
