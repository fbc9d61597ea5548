import { DELIVERY_FAULT_NAMES, DeliveryFaultName, DeliveryFaults } from '@app/deck';

// What each fault means is on DeliveryFaults in @app/deck (the CLI and the dashboard read it too); how they apply is here.

/** Bounds shared by the control-plane DTO (and matching the scenario schema). */
export const FAULT_BOUNDS = {
  duplicate: { min: 1, max: 5 },
  reorder_window_ms: { min: 1, max: 3_600_000 },
  delay_ms: { min: 1, max: 86_400_000 },
  drop_first: { min: 1, max: 10 },
  fail_first: { min: 1, max: 10 },
  stale_timestamp_s: { min: 1, max: 86_400 },
  late_events: { min: 1, max: 3600 },
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
