import type {
  CredentialDetail,
  CredentialList,
  CredentialView,
  InteractionView,
  OperatorView,
  SourceView,
  TaskRunView,
} from '@app/contracts';
import { CREDENTIAL_STATUSES, type CredentialStatus, type DeckInteraction } from '@app/deck';

/*
 * The api's views as specs need them: every field filled with something
 * plausible, so that a test names only what it is about
 * (`aCredential({ status: 'invalid' })`). Test code only.
 */

/** When the default credential was made; its run follows a second later. */
export const CREATED_AT = '2026-12-01T09:00:00.000Z';

/** The one source most specs list. */
export const EXAMPLE_BANK: SourceView = { id: 'src_bank', name: 'Example Bank', url: 'https://bank.example' };

/** Credential `c1` (Deck's `cred_1`) of end user `user_42` at Example Bank, not verified yet. */
export function aCredential(overrides: Partial<CredentialView> = {}): CredentialView {
  return {
    id: 'c1',
    deck_id: 'cred_1',
    source_id: EXAMPLE_BANK.id,
    external_id: 'user_42',
    auth_method: 'username_password',
    username_hint: 'us***',
    status: 'unverified',
    last_error: null,
    status_changed_at: CREATED_AT,
    created_at: CREATED_AT,
    updated_at: CREATED_AT,
    ...overrides,
  };
}

/** Run `r1` (Deck's `trun_1`) of credential `c1`, queued. */
export function aRun(overrides: Partial<TaskRunView> = {}): TaskRunView {
  return {
    id: 'r1',
    deck_id: 'trun_1',
    credential_id: 'c1',
    task_id: 'task_1',
    status: 'queued',
    result: null,
    errors: [],
    started_at: null,
    finished_at: null,
    created_at: '2026-12-01T09:00:01.000Z',
    updated_at: '2026-12-01T09:00:01.000Z',
    ...overrides,
  };
}

/** What a source asks when it wants one code. */
export function aCodePrompt(message = 'Enter the 6-digit code'): DeckInteraction {
  return { type: 'mfa', message, fields: [{ name: 'code', type: 'code', label: 'Code' }] };
}

/** Run `r1`'s open prompt `p1`, asking for a code. */
export function anInteraction(overrides: Partial<InteractionView> = {}): InteractionView {
  return {
    id: 'p1',
    task_run_id: 'r1',
    credential_id: 'c1',
    prompt: aCodePrompt(),
    state: 'open',
    opened_at: '2026-12-01T09:00:03.000Z',
    closed_at: null,
    answered_by: null,
    ...overrides,
  };
}

/** What `GET /api/credentials/:id` answers: the credential alone, with no runs, prompts or history yet. */
export function aCredentialDetail(overrides: Partial<CredentialDetail> = {}): CredentialDetail {
  return { credential: aCredential(), runs: [], interactions: [], timeline: [], ...overrides };
}

/** An admin: `ana@example.com`. */
export function anOperator(overrides: Partial<OperatorView> = {}): OperatorView {
  return { id: 'op_1', email: 'ana@example.com', role: 'admin', created_at: '2026-01-01T00:00:00Z', ...overrides };
}

/** How many credentials have each status: the ones named, 0 for the rest. */
export function statusCounts(counts: Partial<Record<CredentialStatus, number>> = {}): Record<CredentialStatus, number> {
  return { unverified: 0, verified: 0, invalid: 0, deleted: 0, ...counts };
}

/** A page of `GET /api/credentials`; the counts default to those of `data`, and a cursor means there is more. */
export function aCredentialList(
  data: CredentialView[],
  counts: Record<CredentialStatus, number> = countsOf(data),
  nextCursor: string | null = null,
): CredentialList {
  return { data, has_more: nextCursor !== null, next_cursor: nextCursor, counts };
}

function countsOf(credentials: CredentialView[]): Record<CredentialStatus, number> {
  const counts = statusCounts();
  for (const status of CREDENTIAL_STATUSES) {
    counts[status] = credentials.filter((c) => c.status === status).length;
  }
  return counts;
}
