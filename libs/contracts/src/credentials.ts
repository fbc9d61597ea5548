import type { AuthMethod, CredentialStatus, DeckInteraction, TaskRunStatus } from '@app/deck';

/** The mirror of one Deck credential. Never a password. */
export interface CredentialView {
  id: string;
  deck_id: string;
  source_id: string;
  external_id: string | null;
  auth_method: AuthMethod;
  /** The username, masked for display (`ma***@example.com`). */
  username_hint: string | null;
  status: CredentialStatus;
  last_error: { type: string; code: string; message: string } | null;
  status_changed_at: string;
  created_at: string;
  updated_at: string;
}

/** A form post from the connect page or an operator. The password goes to Deck and nowhere else. */
export interface CreateCredentialRequest {
  source_id: string;
  email?: string;
  username?: string;
  password: string;
  source_fields?: Record<string, string>;
  /** Operators name the end user; a link token already does. */
  external_id?: string;
}

export interface UpdateCredentialRequest {
  email?: string;
  username?: string;
  password?: string;
  source_fields?: Record<string, string>;
}

export const CREDENTIAL_SORTS = ['created_at', '-created_at', 'status_changed_at', '-status_changed_at'] as const;
export type CredentialSort = (typeof CREDENTIAL_SORTS)[number];

export interface CredentialListQuery {
  status?: CredentialStatus[];
  source_id?: string;
  external_id?: string;
  q?: string;
  sort?: CredentialSort;
  limit?: number;
  cursor?: string;
}

export interface Page<T> {
  data: T[];
  has_more: boolean;
  next_cursor: string | null;
}

export interface CredentialList extends Page<CredentialView> {
  /**
   * How many credentials each status has under every filter except `status`
   * itself (so status tabs show what picking them would give); all four keys, zeros included.
   */
  counts: Record<CredentialStatus, number>;
}

export interface TaskRunView {
  id: string;
  deck_id: string;
  credential_id: string | null;
  task_id: string;
  status: TaskRunStatus;
  result: string | null;
  errors: { type: string; code: string; message: string }[];
  started_at: string | null;
  finished_at: string | null;
  created_at: string;
  updated_at: string;
}

export const INTERACTION_STATES = ['open', 'answered', 'expired', 'superseded'] as const;
export type InteractionState = (typeof INTERACTION_STATES)[number];

/** A prompt Deck opened on a run, as operators see it in their queue. */
export interface InteractionView {
  id: string;
  task_run_id: string;
  credential_id: string | null;
  prompt: DeckInteraction;
  state: InteractionState;
  opened_at: string;
  closed_at: string | null;
  answered_by: string | null;
}

export interface AnswerInteractionRequest {
  input: Record<string, string>;
}

/** One line of a credential's history. */
export interface TimelineEntry {
  at: string;
  kind: 'event' | 'run' | 'interaction';
  type: string;
  summary: string;
  ref: string;
}

export interface CredentialDetail {
  credential: CredentialView;
  runs: TaskRunView[];
  interactions: InteractionView[];
  timeline: TimelineEntry[];
}

export interface CreateLinkRequest {
  external_id: string;
  source_id?: string;
}

/** A short-lived link an end user opens to connect their account. */
export interface LinkView {
  token: string;
  url: string;
  external_id: string;
  source_id: string | null;
  expires_at: string;
}

/** What a connect page's link is for (`GET /api/links/current`); never the token itself. */
export interface LinkContextView {
  external_id: string;
  source_id: string | null;
  expires_at: string;
}

export interface SourceView {
  id: string;
  name: string | null;
  url: string;
}

/** A webhook the api received, for the operators' event log. */
export interface ReceivedEventView {
  id: string;
  type: string;
  object_id: string | null;
  /** The Deck credential (`cred_…`) the event is about or names in its data; null for other objects. */
  deck_credential_id: string | null;
  created_at: string;
  received_at: string;
  via: 'webhook' | 'catch_up';
  duplicates: number;
  outcome: 'applied' | 'stale' | 'held';
  note: string | null;
}

/** `GET /api/events/:id`: one received event with the payload Deck signed (Deck events never carry a password). */
export interface ReceivedEventDetail extends ReceivedEventView {
  payload: unknown;
}

/** `GET /api/events` filters; list parameters take repeats or commas. */
export interface ReceivedEventListQuery {
  type?: string[];
  outcome?: ReceivedEventView['outcome'][];
  via?: ReceivedEventView['via'][];
  /** Deck's credential id (`cred_…`): events about it or its runs. */
  deck_credential_id?: string;
  limit?: number;
  cursor?: string;
}
