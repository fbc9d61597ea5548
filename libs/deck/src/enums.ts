/** Credential statuses. */
export const CREDENTIAL_STATUSES = ['unverified', 'verified', 'invalid', 'deleted'] as const;
export type CredentialStatus = (typeof CREDENTIAL_STATUSES)[number];

/** How a credential authenticates; `none` links a user without a login. */
export const AUTH_METHODS = ['username_password', 'none'] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];

/**
 * Task-run statuses. Deck's docs spell the cancelling status
 * both ways; clients must accept `canceling` and `cancelling`.
 */
export const TASK_RUN_STATUSES = [
  'queued',
  'running',
  'interaction_required',
  'review_required',
  'completed',
  'failed',
  'canceling',
  'cancelling',
  'canceled',
] as const;
export type TaskRunStatus = (typeof TASK_RUN_STATUSES)[number];

/** Statuses a run never leaves. */
export const TERMINAL_TASK_RUN_STATUSES: readonly TaskRunStatus[] = ['completed', 'failed', 'canceled'];

/** The outcome of a finished run; null while it runs. */
export const TASK_RUN_RESULTS = ['success', 'failure', 'unknown'] as const;
export type TaskRunResult = (typeof TASK_RUN_RESULTS)[number];

/** Session statuses. */
export const SESSION_STATUSES = ['queued', 'running', 'idle', 'completing', 'completed', 'failed'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

/** Task learning statuses. */
export const TASK_STATUSES = ['learning', 'test', 'live'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** Event destination statuses. */
export const EVENT_DESTINATION_STATUSES = ['pending_verification', 'active', 'inactive'] as const;
export type EventDestinationStatus = (typeof EVENT_DESTINATION_STATUSES)[number];

/** Destination kinds Deck documents; the sandbox delivers to `webhook` only. */
export const EVENT_DESTINATION_TYPES = [
  'webhook',
  'aws_sqs',
  'aws_kinesis',
  'aws_s3',
  'aws_eventbridge',
  'gcp_pubsub',
  'rabbitmq',
  'azure_servicebus',
  'hookdeck',
] as const;
export type EventDestinationType = (typeof EVENT_DESTINATION_TYPES)[number];

/** Final state of one event delivery to one destination. */
export const EVENT_DELIVERY_STATUSES = ['success', 'failure'] as const;
export type EventDeliveryStatus = (typeof EVENT_DELIVERY_STATUSES)[number];

/** Source kinds; `website` is the only one Deck documents. */
export const SOURCE_TYPES = ['website'] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];

/** Sections `GET /v2/task-runs/{id}?include=` can add (`screenshots` is the concept page's name for `artifacts`). */
export const TASK_RUN_INCLUDES = ['input', 'storage', 'artifacts', 'screenshots'] as const;
export type TaskRunInclude = (typeof TASK_RUN_INCLUDES)[number];
