import type {
  AuthMethod,
  CredentialStatus,
  EventDeliveryStatus,
  EventDestinationStatus,
  EventDestinationType,
  SessionStatus,
  SourceType,
  TaskRunResult,
  TaskRunStatus,
  TaskStatus,
} from './enums';
import type { DeckErrorItem } from './errors';
import type { EventType } from './events';

/** ISO 8601 UTC timestamp, e.g. `2025-01-15T09:30:00.000Z`. */
export type Timestamp = string;

/** Fields every single-resource response carries. */
export interface DeckResource {
  id: string;
  object: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  request_id?: string;
}

/** A page of a list endpoint. */
export interface DeckList<T> {
  data: T[];
  has_more: boolean;
  next_cursor: string | null;
  request_id?: string;
}

/** Body of a DELETE that removes the resource. */
export interface DeckDeleted {
  id: string;
  object: string;
  deleted: true;
  request_id?: string;
}

/** `GET /v2/test`. */
export interface DeckTestResponse {
  status: 'ready';
  environment: 'live';
  request_id?: string;
}

export interface DeckAgentTaskSummary {
  id: string;
  object: 'task';
  name: string;
  status: TaskStatus;
}

export interface DeckAgent extends DeckResource {
  object: 'agent';
  name: string;
  description: string | null;
  tasks: DeckAgentTaskSummary[];
}

export interface DeckSource extends DeckResource {
  object: 'source';
  name: string | null;
  type: SourceType;
  website: { url: string };
}

/** The non-secret summary of a credential's login; the password never comes back. */
export interface DeckAuthCredentialsSummary {
  username?: string;
  source_fields?: Record<string, string>;
}

export interface DeckCredential extends DeckResource {
  object: 'credential';
  status: CredentialStatus;
  external_id: string | null;
  source_id: string;
  auth_method: AuthMethod;
  auth_credentials: DeckAuthCredentialsSummary;
}

export interface DeckSessionTaskRun {
  id: string;
  task_id: string;
  agent_id: string;
  credential_id: string | null;
}

export interface DeckSession extends DeckResource {
  object: 'session';
  status: SessionStatus;
  runtime_ms: number;
  task_runs: DeckSessionTaskRun[];
}

export interface DeckTaskStorageSettings {
  enabled: boolean;
  extraction?: boolean;
  extraction_schema?: Record<string, unknown> | null;
  extraction_prompt?: string | null;
  deduplication?: boolean;
  deduplication_schema?: Record<string, unknown> | null;
}

export interface DeckTask extends DeckResource {
  object: 'task';
  name: string;
  prompt: string | null;
  status: TaskStatus;
  agent_id: string;
  input_schema: Record<string, unknown> | null;
  output_schema: Record<string, unknown> | null;
  storage: DeckTaskStorageSettings | null;
  extraction: boolean;
  settings: { timeout_seconds: number };
}

/** One input a source asks for while a run waits. */
export interface DeckInteractionField {
  name: string;
  type: string;
  label: string;
}

/** What a waiting run asks for; build forms from `fields`, never from `type`. */
export interface DeckInteraction {
  type: string;
  message: string;
  fields: DeckInteractionField[];
}

export interface DeckScreenshot {
  file_name: string;
  file_type: string;
  file_size: number;
  created_at: Timestamp;
  url: string;
  reasoning: string | null;
}

export interface DeckStorageItem {
  id: string;
  object: 'storage';
  file_name: string;
  file_type: string;
  file_size: number;
  url: string | null;
  metadata: Record<string, unknown> | null;
  fetch_date: Timestamp;
  extraction: unknown;
  result: 'success' | 'failure';
  task_run_id: string;
  created_at: Timestamp;
  request_id?: string;
}

export interface DeckTaskRun extends DeckResource {
  object: 'task_run';
  status: TaskRunStatus;
  result: TaskRunResult | null;
  task_id: string;
  credential_id: string | null;
  session_id: string | null;
  workflow_id: string | null;
  agent_id: string;
  source_id: string | null;
  runtime_ms: number;
  output: unknown;
  errors: DeckErrorItem[];
  interaction: DeckInteraction | null;
  canceled_at: Timestamp | null;
  /** Present only with `include=input`. */
  input?: unknown;
  /** Present only with `include=storage`. */
  storage?: DeckStorageItem[];
  /** Present only with `include=artifacts` (or `screenshots`). */
  artifacts?: { screenshots: DeckScreenshot[] };
}

export interface DeckEvent<T = Record<string, unknown>> {
  id: string;
  object: 'event';
  type: EventType;
  data: T;
  created_at: Timestamp;
  request_id?: string;
}

/** Webhook settings echoed by the API. */
export interface DeckWebhookConfig {
  url: string;
  custom_headers?: string | null;
  /** The signing secret: in the sandbox's create response only, never on reads. */
  secret?: string | null;
}

export interface DeckEventDestination extends DeckResource {
  object: 'event_destination';
  name: string;
  status: EventDestinationStatus;
  type: EventDestinationType;
  events: string[];
  webhook?: DeckWebhookConfig;
  /** Other destination types echo their non-secret config under their own key. */
  [typeKeyedConfig: string]: unknown;
}

export interface DeckEventDelivery {
  id: string;
  object: 'event_delivery';
  status: EventDeliveryStatus | 'pending';
  event_type: EventType;
  event_id: string;
  event_destination_id: string;
  attempts: number;
  created_at: Timestamp;
  delivered_at: Timestamp | null;
}

export interface DeckToken {
  id: string;
  object: 'token';
  token: string;
  expires_at: Timestamp;
  created_at: Timestamp;
  request_id?: string;
}
