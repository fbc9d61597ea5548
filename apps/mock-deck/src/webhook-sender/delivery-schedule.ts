import { parseDuration } from '../common/duration';

/**
 * Deck retries a failed delivery 3 times with exponential backoff and then
 * switches the destination off. Its exact schedule is not
 * documented; the sandbox's default is 1 s, 2 s, 4 s of sandbox time after each
 * failed try, and `MOCK_DECK_RETRY_SCHEDULE` replaces it (its length is the
 * number of retries).
 */
export const DEFAULT_RETRY_SCHEDULE = '1s,2s,4s';

/** Bounds on the schedule, so a typo cannot make a destination retry for ever. */
export const MAX_RETRIES = 20;
export const MAX_RETRY_DELAY_MS = 30 * 86_400_000;

/** A 2xx within this long is a success; anything else is a failure. */
export const DELIVERY_TIMEOUT_MS = 5_000;

/** An attempt in flight holds its delivery this long (real time); after a crash it is retried. */
export const IN_FLIGHT_LEASE_MS = 30_000;

/** The dispatcher's name as scheduled work: what a newly written delivery wakes. */
export const DELIVERY_WORK = 'webhook-deliveries';

/** The longest `Retry-After` honoured; a receiver asking for more gets this. */
export const MAX_RETRY_AFTER_MS = 86_400_000;

/**
 * Reads a comma-separated list of durations (`1s,2s,4s`, `500ms,1m`) into
 * milliseconds; null when any entry is not a duration or the list is out of bounds.
 */
export function parseRetrySchedule(text: string): number[] | null {
  const parts = text.split(',').map((part) => part.trim());
  if (parts.length === 0 || parts.length > MAX_RETRIES) {
    return null;
  }
  const delays = parts.map((part) => (part === '' ? null : parseDuration(part)));
  return delays.every((ms): ms is number => ms !== null && ms <= MAX_RETRY_DELAY_MS) ? delays : null;
}

/**
 * The wait a receiver asks for in `Retry-After` (Standard Webhooks: honour it on
 * throttling answers), in ms: delta-seconds or an HTTP date read against the
 * wall clock (the receiver's clock). Only 429 and 503 carry it; null otherwise
 * or when unreadable.
 */
export function retryAfterMs(status: number, header: string | null, wallNowMs: number): number | null {
  if ((status !== 429 && status !== 503) || header === null) {
    return null;
  }
  const value = header.trim();
  let ms: number;
  if (/^\d+$/.test(value)) {
    ms = Number(value) * 1000;
  } else {
    // An HTTP date has a weekday and month in letters; anything else (`-5`) is no date.
    const at = /[A-Za-z]/.test(value) ? Date.parse(value) : NaN;
    if (Number.isNaN(at)) {
      return null;
    }
    ms = Math.max(0, at - wallNowMs);
  }
  return Math.min(ms, MAX_RETRY_AFTER_MS);
}

/**
 * What happens after a failed scheduled try: the sandbox-time wait before the
 * next one, or null when the retries are used up. `triesSoFar` counts this
 * failure. A longer `Retry-After` wins over the schedule, never a shorter one.
 */
export function nextRetryDelay(
  schedule: readonly number[],
  triesSoFar: number,
  retryAfter: number | null,
): number | null {
  if (triesSoFar < 1 || triesSoFar > schedule.length) {
    return null;
  }
  const scheduled = schedule[triesSoFar - 1];
  return retryAfter !== null && retryAfter > scheduled ? retryAfter : scheduled;
}

/** The retry delays configured by `MOCK_DECK_RETRY_SCHEDULE` (validated at start), or the default. */
export function retryScheduleFrom(text: string | undefined): number[] {
  const schedule = parseRetrySchedule(text === undefined || text === '' ? DEFAULT_RETRY_SCHEDULE : text);
  if (schedule === null) {
    throw new Error('MOCK_DECK_RETRY_SCHEDULE: not a comma-separated list of durations');
  }
  return schedule;
}
