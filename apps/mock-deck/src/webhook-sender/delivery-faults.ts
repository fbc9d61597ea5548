/**
 * Faults a webhook receiver must survive (reliability.md B2, B4), set per
 * destination through `/sandbox` or a scenario. Every field is optional; an
 * absent field is no fault. Each applied fault is named (by its key) in the
 * `faults` list of the delivery attempts it touched.
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
}

/** A fault's name in the attempts log is its key. */
export type DeliveryFaultName = keyof DeliveryFaults;

/** The keys in the order the log lists them. */
export const DELIVERY_FAULT_NAMES = [
  'duplicate',
  'reorder_window_ms',
  'delay_ms',
  'drop_first',
  'fail_first',
  'bad_signature',
  'stale_timestamp_s',
  'dual_signature',
] as const satisfies readonly DeliveryFaultName[];

/** Bounds shared by the control-plane DTO (and matching the scenario schema). */
export const FAULT_BOUNDS = {
  duplicate: { min: 1, max: 5 },
  reorder_window_ms: { min: 1, max: 3_600_000 },
  delay_ms: { min: 1, max: 86_400_000 },
  drop_first: { min: 1, max: 10 },
  fail_first: { min: 1, max: 10 },
  stale_timestamp_s: { min: 1, max: 86_400 },
} as const;

/**
 * Keeps only the faults that are on: `false`, `null` and absent keys are
 * dropped, and no fault at all is `null` (what a cleared destination stores).
 */
export function normalizeFaults(input: DeliveryFaults | null | undefined): DeliveryFaults | null {
  if (!input) {
    return null;
  }
  const kept: Record<string, number | boolean> = {};
  for (const name of DELIVERY_FAULT_NAMES) {
    const value = input[name];
    if (value !== undefined && value !== null && value !== false) {
      kept[name] = value;
    }
  }
  return Object.keys(kept).length > 0 ? kept : null;
}

/** Where a first attempt waits before it is sent, and which faults put it there. */
export interface FirstAttemptHold {
  untilMs: number;
  faults: DeliveryFaultName[];
}

/**
 * The hold for a delivery's first attempt, or null when none applies.
 * `openWindowEndMs` is the end of the destination's reorder window still open
 * (a later held delivery joins it, so the whole window goes out together).
 */
export function planFirstAttemptHold(
  faults: DeliveryFaults | null,
  nowMs: number,
  openWindowEndMs: number | null,
): FirstAttemptHold | null {
  const delay = faults?.delay_ms ?? 0;
  const window = faults?.reorder_window_ms ?? 0;
  if (delay <= 0 && window <= 0) {
    return null;
  }
  const names: DeliveryFaultName[] = [];
  let untilMs = nowMs;
  if (delay > 0) {
    names.push('delay_ms');
    untilMs = nowMs + delay;
  }
  if (window > 0) {
    names.push('reorder_window_ms');
    untilMs = openWindowEndMs !== null && openWindowEndMs > nowMs ? openWindowEndMs : untilMs + window;
  }
  return { untilMs, faults: names };
}

/**
 * What the counting faults do to a scheduled try (1-based): `drop_first` wins
 * over `fail_first` for the tries both cover.
 */
export function countedFault(faults: DeliveryFaults | null, tryNumber: number): 'drop_first' | 'fail_first' | null {
  if (faults?.drop_first && tryNumber <= faults.drop_first) {
    return 'drop_first';
  }
  if (faults?.fail_first && tryNumber <= faults.fail_first) {
    return 'fail_first';
  }
  return null;
}
