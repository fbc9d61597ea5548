import type { SandboxDeliveryAttempt } from '@app/deck';

export const BUCKET_MS = 10_000;
export const BUCKETS = 12;

export interface AttemptBucket {
  /** Start of the 10 s (sandbox time, epoch ms). */
  start: number;
  success: number;
  failure: number;
}

/**
 * Attempts per 10 s of sandbox time by outcome, for the last two minutes
 * before the newest attempt (sandbox time jumps when the clock is advanced,
 * so the window follows the attempts rather than the wall clock).
 */
export function bucketAttempts(attempts: readonly SandboxDeliveryAttempt[]): AttemptBucket[] {
  if (attempts.length === 0) {
    return [];
  }
  const times = attempts.map((a) => Date.parse(a.sent_at)).filter((t) => !Number.isNaN(t));
  if (times.length === 0) {
    return [];
  }
  const last = Math.floor(Math.max(...times) / BUCKET_MS) * BUCKET_MS;
  const first = last - (BUCKETS - 1) * BUCKET_MS;
  const buckets: AttemptBucket[] = Array.from({ length: BUCKETS }, (_, i) => ({
    start: first + i * BUCKET_MS,
    success: 0,
    failure: 0,
  }));
  for (const attempt of attempts) {
    const at = Date.parse(attempt.sent_at);
    if (Number.isNaN(at) || at < first) {
      continue;
    }
    buckets[Math.min(BUCKETS - 1, Math.floor((at - first) / BUCKET_MS))][attempt.outcome] += 1;
  }
  return buckets;
}
