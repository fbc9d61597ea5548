import { SandboxClock } from './clock';
import { MAX_SANDBOX_MS } from '../common/duration';

describe(SandboxClock.name, () => {
  let clock: SandboxClock;

  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    clock = new SandboxClock();
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('should follow real time by default', () => {
    jest.advanceTimersByTime(1500);
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:01.500Z');
  });

  it('should stand still when frozen and jump when advanced', () => {
    clock.freeze();
    jest.advanceTimersByTime(60_000);
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:00.000Z');
    clock.advance(3 * 24 * 60 * 60 * 1000);
    expect(clock.now().toISOString()).toBe('2026-01-04T00:00:00.000Z');
    expect(clock.realDelayUntil(clock.nowMs() + 1000)).toBeNull();
  });

  it('should run faster when scaled, and convert sandbox delays to real ones', () => {
    clock.setScale(60);
    jest.advanceTimersByTime(1000);
    expect(clock.now().toISOString()).toBe('2026-01-01T00:01:00.000Z');
    expect(clock.realDelayUntil(clock.nowMs() + 60_000)).toBe(1000);
  });

  it('should resume from where it was frozen, not from real time', () => {
    clock.freeze();
    jest.advanceTimersByTime(10_000);
    clock.resume();
    jest.advanceTimersByTime(1000);
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:01.000Z');
  });

  it('should tell listeners when time jumps, until they unsubscribe', () => {
    const listener = jest.fn();
    const unsubscribe = clock.onChange(listener);
    clock.advance(5);
    clock.freeze();
    unsubscribe();
    clock.resume();
    expect(listener).toHaveBeenCalledTimes(2);
  });

  it('should refuse to advance past the latest time it keeps, even while running fast, and stay put', () => {
    clock.restore({ sandbox_ms: MAX_SANDBOX_MS - 10_000, real_ms: Date.now(), scale: 1000, frozen: false });
    jest.advanceTimersByTime(5);
    expect(() => clock.advance(10_000)).toThrow(RangeError);
    expect(clock.nowMs()).toBe(MAX_SANDBOX_MS - 5000);
    clock.advance(5000);
    expect(clock.nowMs()).toBe(MAX_SANDBOX_MS);
    jest.advanceTimersByTime(1000);
    expect(clock.nowMs()).toBe(MAX_SANDBOX_MS);
  });

  it('should accept only saved states it can run from', () => {
    const good = { sandbox_ms: Date.now(), real_ms: Date.now(), scale: 1, frozen: true };
    expect(SandboxClock.isValidState(good)).toBe(true);
    for (const bad of [
      { ...good, sandbox_ms: Number.NaN },
      { ...good, sandbox_ms: 1e300 },
      { ...good, sandbox_ms: MAX_SANDBOX_MS + 1 },
      { ...good, real_ms: Number.POSITIVE_INFINITY },
      { ...good, scale: 0 },
      { ...good, scale: 1e9 },
    ]) {
      expect(SandboxClock.isValidState(bad)).toBe(false);
    }
  });
});
