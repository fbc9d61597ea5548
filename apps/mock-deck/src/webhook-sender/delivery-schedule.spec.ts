import { validateMockDeckEnv } from '../config/mock-deck.config';
import {
  MAX_RETRY_AFTER_MS,
  nextRetryDelay,
  parseRetrySchedule,
  retryAfterMs,
  retryScheduleFrom,
} from './delivery-schedule';

describe(parseRetrySchedule.name, () => {
  it.each([
    ['1s,2s,4s', [1000, 2000, 4000]],
    [' 500ms , 1m ', [500, 60_000]],
    ['1h30m', [5_400_000]],
    ['0s,250', [0, 250]],
  ])('should read %p as %p', (text, delays) => {
    expect(parseRetrySchedule(text)).toEqual(delays);
  });

  it.each(['', '1s,,2s', 'soon', '1s,-2s', '1s,', '31d', Array.from({ length: 21 }, () => '1s').join(',')])(
    'should refuse %p',
    (text) => {
      expect(parseRetrySchedule(text)).toBeNull();
    },
  );
});

describe(retryScheduleFrom.name, () => {
  it("should fall back to Deck's 1 s, 2 s, 4 s when unset or empty", () => {
    expect(retryScheduleFrom(undefined)).toEqual([1000, 2000, 4000]);
    expect(retryScheduleFrom('')).toEqual([1000, 2000, 4000]);
    expect(retryScheduleFrom('10s')).toEqual([10_000]);
  });

  it('should refuse a schedule it cannot read', () => {
    expect(() => retryScheduleFrom('1s,later')).toThrow('MOCK_DECK_RETRY_SCHEDULE');
  });
});

describe('MOCK_DECK_RETRY_SCHEDULE validation', () => {
  it('should accept a list of durations and an empty value', () => {
    expect(() => validateMockDeckEnv({ MOCK_DECK_RETRY_SCHEDULE: '5s,30s,2m,10m' })).not.toThrow();
    expect(() => validateMockDeckEnv({ MOCK_DECK_RETRY_SCHEDULE: '' })).not.toThrow();
  });

  it('should name the variable, not its value, when it is not a schedule', () => {
    expect(() => validateMockDeckEnv({ MOCK_DECK_RETRY_SCHEDULE: '1s,whenever' })).toThrow(
      /MOCK_DECK_RETRY_SCHEDULE must be 1 to 20 durations/,
    );
    expect(() => validateMockDeckEnv({ MOCK_DECK_RETRY_SCHEDULE: '1s,whenever' })).not.toThrow(/whenever/);
  });
});

describe(retryAfterMs.name, () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  it('should read delta-seconds on a 429 or 503', () => {
    expect(retryAfterMs(429, '3', now)).toBe(3000);
    expect(retryAfterMs(503, ' 120 ', now)).toBe(120_000);
  });

  it('should read an HTTP date against the wall clock, never below zero', () => {
    expect(retryAfterMs(503, 'Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs(503, 'Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
  });

  it('should ignore it on other statuses, when absent or unreadable', () => {
    expect(retryAfterMs(500, '3', now)).toBeNull();
    expect(retryAfterMs(200, '3', now)).toBeNull();
    expect(retryAfterMs(429, null, now)).toBeNull();
    expect(retryAfterMs(429, 'soonish', now)).toBeNull();
    expect(retryAfterMs(429, '-5', now)).toBeNull();
  });

  it('should cap a huge wait at a day', () => {
    expect(retryAfterMs(429, '99999999', now)).toBe(MAX_RETRY_AFTER_MS);
  });
});

describe(nextRetryDelay.name, () => {
  const schedule = [1000, 2000, 4000];

  it('should follow the schedule after each failed try, then give up', () => {
    expect([1, 2, 3, 4].map((tries) => nextRetryDelay(schedule, tries, null))).toEqual([1000, 2000, 4000, null]);
  });

  it('should wait longer when Retry-After asks for more, never less', () => {
    expect(nextRetryDelay(schedule, 1, 30_000)).toBe(30_000);
    expect(nextRetryDelay(schedule, 2, 500)).toBe(2000);
    expect(nextRetryDelay(schedule, 4, 30_000)).toBeNull();
  });
});
