import type {
  CredentialDetail,
  CredentialView,
  InteractionView,
  LinkContextView,
  SourceView,
  TaskRunView,
} from '@app/contracts';
import { TERMINAL_TASK_RUN_STATUSES } from '@app/deck';

import type { ApiProblem } from '../../core/http/api-problem';

/**
 * The connect page as an explicit state machine: Deck's "Building your auth
 * flow" guide, one state per thing the end user sees. The component renders
 * from the state and performs the requests; this file holds no I/O.
 *
 *   loading ──link ok──► overview (has credentials) ─connect_new─► details
 *      │                   │ fix / check_again                      │ submit
 *      └─link invalid─► expired                                     ▼
 *                                   rejected ──submit──────────►  saving ──saved──► waiting ◄──────┐
 *                                      ▲                                          │  ▲            │
 *                 credential invalid / run failed auth ◄──────────────────────────┤  │ answered   │ retry
 *                                                                  prompt opens ▼  │            │
 *                                                                      prompt ─answer─► answering│
 *                                                                   (a wrong answer re-prompts)  │
 *   run completed / credential verified ──► verified                                             │
 *   run failed: source ──► unavailable ─────────────────────────────────────────────────────────┤
 *   run failed: interaction_timeout ──► timed_out ───────────────────────────────────────────────┤
 *   run failed otherwise, canceled ──► failed ───────────────────────────────────────────────────┘
 *   credential deleted (any step about it) ──► deleted ─connect_new─► details
 *
 * The guide's error table, as this page applies it:
 *
 * | what happened                                         | state       | what the end user can do            |
 * |-------------------------------------------------------|-------------|-------------------------------------|
 * | link expired or unknown (`link_invalid`)              | expired     | ask for a new link                  |
 * | credential `invalid`, or run failed with `auth`       | rejected    | update the login (PATCH, re-verify) |
 * | run failed with `source`                              | unavailable | try again later (re-verify)         |
 * | run failed with `interaction_timeout`                 | timed_out   | try again (re-verify)               |
 * | run failed otherwise (task, session, too many wrong answers), canceled, completed without success | failed | try again |
 * | credential `deleted`                                  | deleted     | connect again (a new credential)    |
 * | a request failed (rate limited, network, server)      | error, or the form's message | try again          |
 */
export type ConnectStateName =
  | 'loading'
  | 'expired'
  | 'overview'
  | 'details'
  | 'saving'
  | 'waiting'
  | 'prompt'
  | 'answering'
  | 'verified'
  | 'rejected'
  | 'unavailable'
  | 'timed_out'
  | 'failed'
  | 'deleted'
  | 'error';

/** Why the link cannot be used: it ran out, the page was opened without one, or an operator's session is in the way. */
export type ExpiredReason = 'expired' | 'missing' | 'operator_session';

/** What a submission sent, without the password (which never enters the machine). */
export interface SubmittedLogin {
  source_id: string;
  login: string;
}

export interface ConnectState {
  name: ConnectStateName;
  link: LinkContextView | null;
  sources: SourceView[];
  /** The end user's credentials (only theirs: the api scopes them to the link's external_id). */
  existing: CredentialView[];
  /** The credential being connected, fixed or checked. */
  credential: CredentialView | null;
  /** A verification request is owed or under way (set on entering `waiting` from a save or a retry). */
  verifying: boolean;
  /** The verification run being followed. */
  runId: string | null;
  runs: Record<string, TaskRunView>;
  prompts: Record<string, InteractionView>;
  /** The prompt on screen (prompt, answering). */
  promptId: string | null;
  /** The last prompt the end user answered: a next one asking the same thing means the answer was refused. */
  answered: InteractionView | null;
  /** The message of the first prompt of the current question, to tell a refused answer from another round. */
  questionMessage: string | null;
  /** The prompt on screen follows a refused answer. */
  retryPrompt: boolean;
  /** What the login form does: a new credential, or new details for `credential`. */
  mode: 'create' | 'update';
  /** The pending submission's Idempotency-Key, kept for a resend while its outcome is unknown. */
  submission: (SubmittedLogin & { key: string }) | null;
  problem: ApiProblem | null;
  /** What "Try again" does in `error`. */
  retry: 'load' | 'verify' | null;
  expiredReason: ExpiredReason;
}

export type ConnectEvent =
  | { type: 'link_missing' }
  | { type: 'link_loaded'; link: LinkContextView; sources: SourceView[]; credentials: CredentialView[] }
  | { type: 'link_failed'; problem: ApiProblem }
  | { type: 'link_lost' }
  | { type: 'connect_new' }
  | { type: 'show_accounts' }
  | { type: 'fix'; credential: CredentialView }
  | { type: 'check_again'; credential: CredentialView }
  | { type: 'submit'; login: SubmittedLogin; key: string }
  | { type: 'saved'; credential: CredentialView }
  | { type: 'save_failed'; problem: ApiProblem }
  | { type: 'verify_started'; run: TaskRunView }
  | { type: 'verify_failed'; problem: ApiProblem }
  | { type: 'retry' }
  | { type: 'answer' }
  | { type: 'answered'; interaction: InteractionView }
  | { type: 'answer_failed'; problem: ApiProblem }
  | { type: 'credential_changed'; credential: CredentialView }
  | { type: 'run_changed'; run: TaskRunView }
  | { type: 'interaction_changed'; interaction: InteractionView }
  | { type: 'detail_loaded'; detail: CredentialDetail }
  | { type: 'list_loaded'; credentials: CredentialView[] };

/** States that follow a verification run live. */
const FOLLOWING: readonly ConnectStateName[] = ['waiting', 'prompt', 'answering'];
/** States about one credential, which its deletion ends. */
const ABOUT_CREDENTIAL: readonly ConnectStateName[] = [
  ...FOLLOWING,
  'verified',
  'rejected',
  'unavailable',
  'timed_out',
  'failed',
  'error',
];
/** Outcomes after which the end user may start the check again. */
const RETRYABLE: readonly ConnectStateName[] = ['unavailable', 'timed_out', 'failed'];
/** A resend of a request whose outcome is unknown (it may have been done) keeps its Idempotency-Key. */
const OUTCOME_UNKNOWN: readonly ApiProblem['code'][] = ['network', 'internal', 'unavailable', 'deck_unavailable'];

export function initialConnectState(): ConnectState {
  return {
    name: 'loading',
    link: null,
    sources: [],
    existing: [],
    credential: null,
    verifying: false,
    runId: null,
    runs: {},
    prompts: {},
    promptId: null,
    answered: null,
    questionMessage: null,
    retryPrompt: false,
    mode: 'create',
    submission: null,
    problem: null,
    retry: null,
    expiredReason: 'expired',
  };
}

/** The whole machine: the next state for an event; an event a state does not expect changes nothing. */
export function connectReducer(state: ConnectState, event: ConnectEvent): ConnectState {
  switch (event.type) {
    case 'link_missing':
      return state.name === 'loading' ? { ...state, name: 'expired', expiredReason: 'missing' } : state;

    case 'link_loaded': {
      if (state.name !== 'loading') {
        return state;
      }
      const existing = event.credentials.filter((c) => c.external_id === event.link.external_id);
      return {
        ...state,
        name: existing.length > 0 ? 'overview' : 'details',
        link: event.link,
        sources: event.sources,
        existing,
        mode: 'create',
        problem: null,
        retry: null,
      };
    }

    case 'link_failed':
      if (state.name !== 'loading') {
        return state;
      }
      if (isLinkProblem(event.problem)) {
        return { ...state, name: 'expired', expiredReason: 'expired' };
      }
      // A signed-in operator's cookie wins over the link at the api, which then says the request has no link.
      if (event.problem.code === 'not_found') {
        return { ...state, name: 'expired', expiredReason: 'operator_session' };
      }
      return { ...state, name: 'error', problem: event.problem, retry: 'load' };

    case 'link_lost':
      return state.name === 'expired'
        ? state
        : { ...state, name: 'expired', expiredReason: 'expired', verifying: false };

    case 'connect_new':
      if (!['overview', 'verified', 'deleted', 'rejected'].includes(state.name)) {
        return state;
      }
      return { ...leaveCredential(state), name: 'details', mode: 'create' };

    case 'show_accounts':
      if (!['details', 'verified', 'deleted', 'rejected'].includes(state.name) || state.existing.length === 0) {
        return state;
      }
      return { ...leaveCredential(state), name: 'overview' };

    case 'fix':
      if (state.name !== 'overview' || event.credential.status !== 'invalid') {
        return state;
      }
      return { ...leaveCredential(state), name: 'rejected', credential: event.credential, mode: 'update' };

    case 'check_again':
      // Only an unverified login is checked as it is; a rejected one is fixed first.
      if (state.name !== 'overview' || event.credential.status !== 'unverified') {
        return state;
      }
      return startVerifying({ ...leaveCredential(state), credential: event.credential });

    case 'submit': {
      if (state.name !== 'details' && state.name !== 'rejected') {
        return state;
      }
      const previous = state.submission;
      const same =
        previous !== null && previous.source_id === event.login.source_id && previous.login === event.login.login;
      return {
        ...state,
        name: 'saving',
        mode: state.name === 'rejected' ? 'update' : 'create',
        submission: { ...event.login, key: same ? previous.key : event.key },
        problem: null,
      };
    }

    case 'saved':
      if (state.name !== 'saving') {
        return state;
      }
      return startVerifying({
        ...state,
        credential: event.credential,
        existing: upsert(state.existing, event.credential),
        submission: null,
      });

    case 'save_failed':
      if (state.name !== 'saving') {
        return state;
      }
      if (isLinkProblem(event.problem)) {
        return { ...state, name: 'expired', expiredReason: 'expired' };
      }
      return {
        ...state,
        name: state.mode === 'update' ? 'rejected' : 'details',
        problem: event.problem,
        submission: OUTCOME_UNKNOWN.includes(event.problem.code) ? state.submission : null,
      };

    case 'verify_started':
      if (!state.verifying) {
        return state;
      }
      return settle({
        ...state,
        verifying: false,
        runId: event.run.id,
        runs: keepNewer(state.runs, event.run),
      });

    case 'verify_failed':
      if (!state.verifying) {
        return state;
      }
      if (isLinkProblem(event.problem)) {
        return { ...state, name: 'expired', expiredReason: 'expired', verifying: false };
      }
      return { ...state, name: 'error', verifying: false, problem: event.problem, retry: 'verify' };

    case 'retry':
      if (state.name === 'error' && state.retry === 'load') {
        return { ...state, name: 'loading', problem: null, retry: null };
      }
      if ((state.name === 'error' && state.retry === 'verify') || RETRYABLE.includes(state.name)) {
        return startVerifying(state);
      }
      return state;

    case 'answer':
      return state.name === 'prompt' ? { ...state, name: 'answering', problem: null } : state;

    case 'answered': {
      if (state.name !== 'answering') {
        return state;
      }
      const shown = state.promptId ? state.prompts[state.promptId] : undefined;
      return settle({
        ...state,
        name: 'waiting',
        prompts: keepNewerPrompt(state.prompts, event.interaction),
        answered: shown ?? event.interaction,
        promptId: null,
        retryPrompt: false,
      });
    }

    case 'answer_failed':
      if (state.name !== 'answering') {
        return state;
      }
      if (isLinkProblem(event.problem)) {
        return { ...state, name: 'expired', expiredReason: 'expired' };
      }
      // Already answered or closed: what the run does next arrives like everything else.
      if (event.problem.code === 'conflict') {
        return settle({ ...state, name: 'waiting', promptId: null, problem: null });
      }
      return { ...state, name: 'prompt', problem: event.problem };

    case 'credential_changed':
      return applyCredential(state, event.credential);

    case 'run_changed':
      if (!isFollowed(state, event.run.credential_id)) {
        return state;
      }
      return settle({ ...state, runs: keepNewer(state.runs, event.run) });

    case 'interaction_changed':
      if (!isFollowed(state, event.interaction.credential_id)) {
        return state;
      }
      return settle({ ...state, prompts: keepNewerPrompt(state.prompts, event.interaction) });

    case 'detail_loaded': {
      let next = applyCredential(state, event.detail.credential);
      if (!isFollowed(next, event.detail.credential.id)) {
        return next;
      }
      next = {
        ...next,
        runs: event.detail.runs.reduce(keepNewer, next.runs),
        prompts: event.detail.interactions.reduce(keepNewerPrompt, next.prompts),
      };
      return settle(next);
    }

    case 'list_loaded': {
      const own = state.link ? event.credentials.filter((c) => c.external_id === state.link?.external_id) : [];
      let next: ConnectState = { ...state, existing: own };
      const followed = own.find((c) => c.id === state.credential?.id);
      if (followed) {
        next = applyCredential(next, followed);
      }
      return next;
    }
  }
}

/** The prompt on screen, if any. */
export function shownPrompt(state: ConnectState): InteractionView | null {
  return state.promptId ? (state.prompts[state.promptId] ?? null) : null;
}

/** The followed run's first error, for the words on a failed step. */
export function runError(state: ConnectState): TaskRunView['errors'][number] | null {
  const run = state.runId ? state.runs[state.runId] : undefined;
  return run?.errors[0] ?? null;
}

/** 1–3 for the stepper (sign in, check, connected); null where no step applies. */
export function stepOf(name: ConnectStateName): 1 | 2 | 3 | null {
  switch (name) {
    case 'details':
    case 'saving':
    case 'rejected':
      return 1;
    case 'waiting':
    case 'prompt':
    case 'answering':
    case 'unavailable':
    case 'timed_out':
    case 'failed':
      return 2;
    case 'verified':
      return 3;
    case 'loading':
    case 'expired':
    case 'overview':
    case 'deleted':
    case 'error':
      return null;
  }
}

function isLinkProblem(problem: ApiProblem): boolean {
  return problem.code === 'link_invalid' || problem.code === 'unauthenticated';
}

function isFollowed(state: ConnectState, credentialId: string | null): boolean {
  return state.credential !== null && credentialId === state.credential.id;
}

/** Forgets the credential a step was about, before another begins. */
function leaveCredential(state: ConnectState): ConnectState {
  return {
    ...state,
    credential: null,
    verifying: false,
    runId: null,
    runs: {},
    prompts: {},
    promptId: null,
    answered: null,
    questionMessage: null,
    retryPrompt: false,
    submission: null,
    problem: null,
    retry: null,
  };
}

/** Into `waiting` with a verification run owed (the component asks for it). */
function startVerifying(state: ConnectState): ConnectState {
  return {
    ...state,
    name: 'waiting',
    verifying: true,
    runId: null,
    promptId: null,
    answered: null,
    questionMessage: null,
    retryPrompt: false,
    problem: null,
    retry: null,
  };
}

function applyCredential(state: ConnectState, credential: CredentialView): ConnectState {
  if (state.link && credential.external_id !== state.link.external_id) {
    return state;
  }
  let next: ConnectState = { ...state, existing: upsert(state.existing, credential) };
  const current = state.credential;
  if (current === null || current.id !== credential.id || credential.updated_at < current.updated_at) {
    return next;
  }
  next = { ...next, credential };
  if (credential.status === 'deleted' && ABOUT_CREDENTIAL.includes(state.name)) {
    return { ...next, name: 'deleted', verifying: false };
  }
  return settle(next);
}

/**
 * Where a followed verification stands, from what is known of the credential,
 * its run and the run's prompts (live changes and polls arrive in any order).
 */
function settle(state: ConnectState): ConnectState {
  const credential = state.credential;
  if (!FOLLOWING.includes(state.name) || credential === null) {
    return state;
  }
  if (credential.status === 'deleted') {
    return { ...state, name: 'deleted', verifying: false };
  }
  if (credential.status === 'verified') {
    return { ...state, name: 'verified' };
  }
  const run = state.runId ? state.runs[state.runId] : undefined;
  if (run && TERMINAL_TASK_RUN_STATUSES.includes(run.status)) {
    if (run.status === 'completed' && run.result === 'success') {
      return { ...state, name: 'verified' };
    }
    const name = run.status === 'failed' ? failedState(run) : 'failed';
    return { ...state, name, promptId: null, mode: name === 'rejected' ? 'update' : state.mode };
  }
  if (run && (run.status === 'canceling' || run.status === 'cancelling')) {
    return { ...state, name: 'failed', promptId: null };
  }
  if (credential.status === 'invalid' && !state.verifying) {
    return { ...state, name: 'rejected', mode: 'update', promptId: null };
  }
  if (state.name === 'answering') {
    return state;
  }
  const open = run ? openPrompt(state, run.id) : null;
  if (open) {
    if (open.id === state.promptId && state.name === 'prompt') {
      return state;
    }
    const answered = state.answered;
    const sameQuestion =
      answered !== null &&
      answered.id !== open.id &&
      answered.task_run_id === open.task_run_id &&
      sameShape(answered, open);
    // A refused answer brings the same question back with the source's new words; another round repeats the first words.
    const retryPrompt = sameQuestion && open.prompt.message !== state.questionMessage;
    return {
      ...state,
      name: 'prompt',
      promptId: open.id,
      retryPrompt,
      questionMessage: sameQuestion ? state.questionMessage : open.prompt.message,
      problem: null,
    };
  }
  return { ...state, name: 'waiting', promptId: null };
}

function failedState(run: TaskRunView): ConnectStateName {
  const error = run.errors[0];
  if (error?.type === 'auth') {
    return 'rejected';
  }
  if (error?.type === 'source') {
    return 'unavailable';
  }
  if (error?.code === 'interaction_timeout') {
    return 'timed_out';
  }
  return 'failed';
}

function openPrompt(state: ConnectState, runId: string): InteractionView | null {
  let newest: InteractionView | null = null;
  for (const prompt of Object.values(state.prompts)) {
    if (prompt.task_run_id === runId && prompt.state === 'open' && (!newest || prompt.opened_at >= newest.opened_at)) {
      newest = prompt;
    }
  }
  return newest;
}

function sameShape(a: InteractionView, b: InteractionView): boolean {
  const names = (i: InteractionView) =>
    i.prompt.fields
      .map((f) => f.name)
      .sort()
      .join(',');
  return a.prompt.type === b.prompt.type && names(a) === names(b);
}

function upsert(list: CredentialView[], credential: CredentialView): CredentialView[] {
  const index = list.findIndex((c) => c.id === credential.id);
  if (index === -1) {
    return [credential, ...list];
  }
  if (credential.updated_at < list[index].updated_at) {
    return list;
  }
  return list.map((c, i) => (i === index ? credential : c));
}

const RUN_ORDER: Record<string, number> = {
  queued: 0,
  running: 1,
  interaction_required: 1,
  review_required: 2,
  canceling: 3,
  cancelling: 3,
  completed: 4,
  failed: 4,
  canceled: 4,
};

/** A poll answered before a live change must not take a run back: terminal wins, then the later write. */
function keepNewer(runs: Record<string, TaskRunView>, run: TaskRunView): Record<string, TaskRunView> {
  const known = runs[run.id];
  if (known) {
    const knownTerminal = RUN_ORDER[known.status] === 4;
    if (knownTerminal || run.updated_at < known.updated_at) {
      return runs;
    }
  }
  return { ...runs, [run.id]: run };
}

/** A closed prompt never reopens; an unchanged one keeps its object, so the form on screen is not rebuilt. */
function keepNewerPrompt(
  prompts: Record<string, InteractionView>,
  prompt: InteractionView,
): Record<string, InteractionView> {
  const known = prompts[prompt.id];
  if (known && (known.state !== 'open' || (known.state === prompt.state && known.answered_by === prompt.answered_by))) {
    return prompts;
  }
  return { ...prompts, [prompt.id]: prompt };
}
