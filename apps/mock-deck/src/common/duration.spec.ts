import { formatDuration, parseDuration } from './duration';

describe(parseDuration.name, () => {
  it.each([
    ['250ms', 250],
    ['5s', 5000],
    ['10m', 600_000],
    ['3d', 259_200_000],
    ['1h30m', 5_400_000],
    ['1.5s', 1500],
    ['1500', 1500],
    [42, 42],
  ])('should read %p as %p ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', 'soon', '5 s', '3days', '-1s', '1h 30m', -5])('should refuse %p', (text) => {
    expect(parseDuration(text)).toBeNull();
  });
});

describe(formatDuration.name, () => {
  it('should write durations compactly', () => {
    expect(formatDuration(90_061_000)).toBe('1d1h1m1s');
    expect(formatDuration(1500)).toBe('1s500ms');
    expect(formatDuration(0)).toBe('0s');
  });
});
