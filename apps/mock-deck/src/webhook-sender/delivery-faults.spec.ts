import { countedFault, normalizeFaults, planFirstAttemptHold } from './delivery-faults';

describe(normalizeFaults.name, () => {
  it('should keep the faults that are on, in a fixed order', () => {
    expect(normalizeFaults({ dual_signature: true, duplicate: 2, bad_signature: false })).toEqual({
      duplicate: 2,
      dual_signature: true,
    });
    expect(Object.keys(normalizeFaults({ dual_signature: true, duplicate: 2 }) ?? {})).toEqual([
      'duplicate',
      'dual_signature',
    ]);
  });

  it('should make no fault at all null', () => {
    expect(normalizeFaults(null)).toBeNull();
    expect(normalizeFaults(undefined)).toBeNull();
    expect(normalizeFaults({})).toBeNull();
    expect(normalizeFaults({ bad_signature: false, duplicate: undefined })).toBeNull();
  });
});

describe(planFirstAttemptHold.name, () => {
  const now = 1_000_000;

  it('should not hold without a delay or a reorder window', () => {
    expect(planFirstAttemptHold(null, now, null)).toBeNull();
    expect(planFirstAttemptHold({ duplicate: 1, drop_first: 2 }, now, null)).toBeNull();
  });

  it('should hold for the delay', () => {
    expect(planFirstAttemptHold({ delay_ms: 500 }, now, null)).toEqual({ untilMs: now + 500, faults: ['delay_ms'] });
  });

  it('should open a window when none is open, and join the one that is', () => {
    expect(planFirstAttemptHold({ reorder_window_ms: 1000 }, now, null)).toEqual({
      untilMs: now + 1000,
      faults: ['reorder_window_ms'],
    });
    expect(planFirstAttemptHold({ reorder_window_ms: 1000 }, now, now + 300)).toEqual({
      untilMs: now + 300,
      faults: ['reorder_window_ms'],
    });
    // A window that has closed is not joined.
    expect(planFirstAttemptHold({ reorder_window_ms: 1000 }, now, now)).toEqual({
      untilMs: now + 1000,
      faults: ['reorder_window_ms'],
    });
  });

  it('should open the window after the delay when both are set', () => {
    expect(planFirstAttemptHold({ delay_ms: 500, reorder_window_ms: 1000 }, now, null)).toEqual({
      untilMs: now + 1500,
      faults: ['delay_ms', 'reorder_window_ms'],
    });
  });
});

describe(countedFault.name, () => {
  it('should drop, then fail, then let through, by try number', () => {
    const faults = { drop_first: 1, fail_first: 3 };
    expect([1, 2, 3, 4].map((n) => countedFault(faults, n))).toEqual(['drop_first', 'fail_first', 'fail_first', null]);
  });

  it('should let every try through without counting faults', () => {
    expect(countedFault(null, 1)).toBeNull();
    expect(countedFault({ duplicate: 2 }, 1)).toBeNull();
  });
});
