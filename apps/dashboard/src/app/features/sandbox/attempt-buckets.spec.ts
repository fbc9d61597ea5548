import type { SandboxDeliveryAttempt } from '@app/deck';

import { bucketAttempts, BUCKETS } from './attempt-buckets';

function attempt(sentAt: string, outcome: 'success' | 'failure'): SandboxDeliveryAttempt {
  return { sent_at: sentAt, outcome } as SandboxDeliveryAttempt;
}

describe(bucketAttempts.name, () => {
  it('should count attempts per 10 s by outcome, ending at the newest attempt', () => {
    const buckets = bucketAttempts([
      attempt('2026-12-01T09:00:59.000Z', 'success'),
      attempt('2026-12-01T09:00:51.000Z', 'failure'),
      attempt('2026-12-01T09:00:41.000Z', 'success'),
      attempt('2026-12-01T08:00:00.000Z', 'success'),
    ]);

    expect(buckets).toHaveLength(BUCKETS);
    expect(new Date(buckets[BUCKETS - 1].start).toISOString()).toBe('2026-12-01T09:00:50.000Z');
    expect(buckets[BUCKETS - 1]).toMatchObject({ success: 1, failure: 1 });
    expect(buckets[BUCKETS - 2]).toMatchObject({ success: 1, failure: 0 });
    expect(buckets.reduce((n, b) => n + b.success + b.failure, 0)).toBe(3);
  });

  it('should have nothing to draw without attempts', () => {
    expect(bucketAttempts([])).toEqual([]);
  });
});
