/** Every v2 event type, named `<object>.<action>`. */
export const EVENT_TYPES = [
  'agent.created',
  'agent.updated',
  'agent.deleted',
  'source.created',
  'source.updated',
  'source.deleted',
  'credential.created',
  'credential.unverified',
  'credential.verified',
  'credential.invalid',
  'credential.deleted',
  'session.queued',
  'session.running',
  'session.idle',
  'session.completing',
  'session.completed',
  'session.failed',
  'task.created',
  'task.updated',
  'task.deleted',
  'task.reset',
  'task_run.queued',
  'task_run.running',
  'task_run.interaction_required',
  'task_run.review_required',
  'task_run.completed',
  'task_run.failed',
  'task_run.canceling',
  'task_run.canceled',
  'storage.created',
  'event_destination.activated',
  'event_destination.deactivated',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Subscribe to every event type. It cannot be combined with specific types. */
export const ALL_EVENTS = '*';

/** Standard Webhooks request headers, lower-case as they arrive in Node. */
export const WEBHOOK_HEADERS = {
  id: 'webhook-id',
  timestamp: 'webhook-timestamp',
  signature: 'webhook-signature',
} as const;
