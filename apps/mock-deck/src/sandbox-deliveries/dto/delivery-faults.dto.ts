import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';

import type { DeliveryFaults } from '@app/deck';

import { FAULT_BOUNDS } from '../../webhook-sender/delivery-faults';

/**
 * A destination's delivery faults, replacing any set before. Every field is
 * optional (`null` or `false` is the same as leaving it out); unknown fields are
 * refused. `{}` clears them all.
 */
export class DeliveryFaultsDto implements DeliveryFaults {
  /** Extra copies (1–5) of each successful send, with the same `webhook-id`. */
  @IsOptional()
  @IsInt()
  @Min(FAULT_BOUNDS.duplicate.min)
  @Max(FAULT_BOUNDS.duplicate.max)
  duplicate?: number;

  /** Hold first attempts until the end of a window this long (ms, sandbox time), then send them newest first. */
  @IsOptional()
  @IsInt()
  @Min(FAULT_BOUNDS.reorder_window_ms.min)
  @Max(FAULT_BOUNDS.reorder_window_ms.max)
  reorder_window_ms?: number;

  /** Extra hold (ms, sandbox time) before every first attempt. */
  @IsOptional()
  @IsInt()
  @Min(FAULT_BOUNDS.delay_ms.min)
  @Max(FAULT_BOUNDS.delay_ms.max)
  delay_ms?: number;

  /** Do not send the first N tries of each delivery; they fail as `dropped by fault` and are retried. */
  @IsOptional()
  @IsInt()
  @Min(FAULT_BOUNDS.drop_first.min)
  @Max(FAULT_BOUNDS.drop_first.max)
  drop_first?: number;

  /** Send the first N tries of each delivery but count them failed whatever the answer. */
  @IsOptional()
  @IsInt()
  @Min(FAULT_BOUNDS.fail_first.min)
  @Max(FAULT_BOUNDS.fail_first.max)
  fail_first?: number;

  /** Sign with a random wrong secret. */
  @IsOptional()
  @IsBoolean()
  bad_signature?: boolean;

  /** Sign with a timestamp this many seconds in the past. */
  @IsOptional()
  @IsInt()
  @Min(FAULT_BOUNDS.stale_timestamp_s.min)
  @Max(FAULT_BOUNDS.stale_timestamp_s.max)
  stale_timestamp_s?: number;

  /** Add a second `v1` signature made with a random other secret, as during a rotation. */
  @IsOptional()
  @IsBoolean()
  dual_signature?: boolean;

  /** Commit the organisation's events this many seconds (1–3600) behind the clock, never before the same object's newest event. */
  @IsOptional()
  @IsInt()
  @Min(FAULT_BOUNDS.late_events.min)
  @Max(FAULT_BOUNDS.late_events.max)
  late_events?: number;
}
