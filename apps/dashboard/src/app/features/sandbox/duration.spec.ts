import { describeDuration, durationProblem, parseDuration } from './duration';

describe('sandbox durations', () => {
  it('should read a number and a unit, as the sandbox does', () => {
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('10m')).toBe(600_000);
    expect(parseDuration('2h')).toBe(7_200_000);
    expect(parseDuration('3d')).toBe(259_200_000);
    expect(parseDuration('1.5h')).toBe(5_400_000);
  });

  it('should add up combined units and ignore surrounding spaces', () => {
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('1d2h3m4s5ms')).toBe(93_784_005);
    expect(parseDuration('  10m ')).toBe(600_000);
  });

  it('should refuse what the sandbox refuses', () => {
    for (const text of ['', '10', 'm', '10 m', '10min', '1h 30m', '-5m', '3D', '1.h', 'ten minutes', '5m!']) {
      expect(parseDuration(text)).toBeNull();
    }
  });

  it('should say in words what is wrong, or nothing when the duration is fine', () => {
    expect(durationProblem('10m')).toBeNull();
    expect(durationProblem('1h30m')).toBeNull();
    expect(durationProblem('')).toMatch(/how far/);
    expect(durationProblem('10')).toMatch(/number and a unit/);
    expect(durationProblem('0s')).toMatch(/longer than zero/);
  });

  it('should describe a duration for a person', () => {
    expect(describeDuration(5_400_000)).toBe('1 hour 30 minutes');
    expect(describeDuration(259_200_000)).toBe('3 days');
    expect(describeDuration(1000)).toBe('1 second');
  });
});
