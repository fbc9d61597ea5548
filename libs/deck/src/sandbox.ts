import type { CredentialStatus, TaskRunResult } from './enums';
import type { ErrorType } from './errors';
import type { EventType } from './events';
import type { DeckCredential } from './objects';

/*
 * The sandbox's control plane (`/sandbox/*`): not part of Deck, but spoken by
 * the sandbox, its CLI and the dashboard's Sandbox page, so its wire types live
 * here once.
 */

/** `GET /sandbox/clock` and every clock action: the sandbox's own time. */
export interface SandboxClockView {
  object: 'sandbox_clock';
  /** Sandbox time, ISO 8601 UTC. */
  now: string;
  /** Frozen: nothing falls due until the clock is advanced or resumed. */
  frozen: boolean;
  /** Sandbox seconds per real second. */
  scale: number;
}

/**
 * Faults a webhook receiver must survive, set per destination through
 * `/sandbox` or a scenario. Every field is optional; an absent field is no
 * fault. Each applied fault is named (by its key) in the `faults` list of the
 * delivery attempts it touched.
 */
export interface DeliveryFaults {
  /** 1–5 extra copies of each successful send, with the same `webhook-id`, timestamp and signature. */
  duplicate?: number;
  /**
   * First attempts are held until the end of the destination's current window
   * (opened by the first held delivery, this many ms of sandbox time long); the
   * held ones then go out one after the other, newest first.
   */
  reorder_window_ms?: number;
  /** Extra hold (ms of sandbox time) before every first attempt. */
  delay_ms?: number;
  /** The first N tries of each delivery are not sent: logged as failures `dropped by fault`, then retried. */
  drop_first?: number;
  /** The first N tries ARE sent but count as failures whatever the answer, as if the receiver had failed. */
  fail_first?: number;
  /** Sign with a random wrong secret instead of the destination's. */
  bad_signature?: boolean;
  /** Sign with a timestamp this many seconds in the past (e.g. 600, beyond the usual 300 s tolerance). */
  stale_timestamp_s?: number;
  /** Add a valid-looking `v1` signature made with a random other secret, before the real one, as during a rotation. */
  dual_signature?: boolean;
  /**
   * Seconds (1–3600): the organisation's events are committed with a `created_at` this far behind
   * the clock, though never before the newest earlier event of the same object, so
   * `GET /v2/events` lists them below events already listed (Deck promises no order). Acts on the
   * organisation's whole event store while set on any of its destinations; named on every
   * attempt of an event it made late.
   */
  late_events?: number;
}

/** A fault's name in the attempts log is its key. */
export type DeliveryFaultName = keyof DeliveryFaults;

/** Every fault, in the order the attempts log lists them. */
export const DELIVERY_FAULT_NAMES = [
  'duplicate',
  'reorder_window_ms',
  'delay_ms',
  'drop_first',
  'fail_first',
  'bad_signature',
  'stale_timestamp_s',
  'dual_signature',
  'late_events',
] as const satisfies readonly DeliveryFaultName[];

/** `GET`, `PUT`, `DELETE /sandbox/event-destinations/:id/faults`: a destination's delivery faults; null when none are set. */
export interface DestinationFaults {
  id: string;
  faults: DeliveryFaults | null;
  request_id?: string;
}

/** `GET /sandbox/event-destinations/:id/secret`: the secrets signing a destination's deliveries right now (the previous one only during its overlap). */
export interface DestinationSecret {
  id: string;
  secret: string | null;
  previous_secret: string | null;
  previous_secret_expires_at: string | null;
  request_id?: string;
}

/** One logged webhook request, as `/sandbox` shows it (Deck has no such object). */
export interface SandboxDeliveryAttempt {
  object: 'delivery_attempt';
  /** `datt_…`. */
  id: string;
  /** Ascending across the organisation's log: the live tail's position. */
  seq: number;
  delivery_id: string;
  event_id: string;
  event_type: EventType;
  event_destination_id: string;
  /** 1 for the first try of a delivery, then one more per retry. */
  number: number;
  sent_at: string;
  /** The `webhook-timestamp` header sent (Unix seconds, wall clock). */
  webhook_timestamp: number;
  /** The receiver's HTTP status; null when nothing answered (timeout, refused, dropped by a fault). */
  status_code: number | null;
  latency_ms: number;
  /** The start of the receiver's answer. */
  response_excerpt: string | null;
  error: string | null;
  outcome: 'success' | 'failure';
  /** The faults that bent this attempt. */
  faults: DeliveryFaultName[];
  /** Sent by a redelivery request rather than the schedule. */
  redelivery: boolean;
}

/** `GET /sandbox/attempts?after=…`: a page of the live tail; ask again with `after=next_after`. */
export interface SandboxAttemptTail {
  data: SandboxDeliveryAttempt[];
  has_more: boolean;
  next_after: number;
  request_id?: string;
}

/** Where a scenario came from; an organisation's uploads shadow the folder, which shadows the built-ins. */
export type ScenarioOrigin = 'built-in' | 'folder' | 'uploaded';

/** A duration in a scenario file: `250ms`, `5s`, `10m`, `1h`, `3d`, `1h30m`, or milliseconds. */
export type ScenarioDuration = string | number;

/** A run error as a scenario file writes it. */
export interface ScenarioRunError {
  type: ErrorType;
  code: string;
  message: string;
}

/** One step of a scripted run, as written in a scenario file; `wait` also takes `step` (one scripted step's time). */
export type ScenarioStepSpec =
  | { wait: ScenarioDuration }
  | {
      interaction: {
        type: string;
        message: string;
        fields: { name: string; type?: string; label: string }[];
        /** Accepted answers per field. */
        accept?: Record<string, string[]>;
        max_attempts?: number;
        retry_message?: string;
        /** How long the prompt waits for an answer. */
        window?: ScenarioDuration;
        on_exhausted?: ScenarioRunError;
      };
    }
  | { complete: { result?: TaskRunResult; output?: unknown } }
  | { fail: { error: ScenarioRunError; credential?: 'invalid' | 'unchanged' } }
  | { review: Record<string, never> };

/** A scenario file as written (YAML or JSON), after the schema check. */
export interface ScenarioSpec {
  name: string;
  description?: string;
  /** One step list per verification run of the credential; the last one repeats. */
  runs: { steps: ScenarioStepSpec[] }[];
  credential?: { breaks_after?: ScenarioDuration };
  faults?: Record<string, number | boolean>;
}

/** `GET /sandbox/scenarios[/:name]`: a scenario a credential's username can name. */
export interface ScenarioView {
  object: 'scenario';
  name: string;
  description: string;
  origin: ScenarioOrigin;
  spec: ScenarioSpec;
}

/** One problem in a refused scenario file, at a path such as `runs[0].steps[2].interaction.accept`. */
export interface ScenarioProblem {
  path: string;
  message: string;
  /** A required field is absent (rather than present and wrong). */
  missing: boolean;
}

/** `POST /sandbox/credentials/:id/status`: the credential after a forced status, or the change planned for later. */
export interface ForcedStatus {
  object: 'credential_status';
  credential: DeckCredential;
  scheduled: { status: CredentialStatus; at: string } | null;
}
