/*
 * Durations as the sandbox's clock takes them (`POST /sandbox/clock/advance`
 * `{"by": …}`): a number and a unit (ms, s, m, h or d), combinable as `1h30m`.
 * The same rule as the sandbox's own check, so a refusal never costs a request.
 */

const PATTERN = /^(\d+(\.\d+)?(ms|s|m|h|d))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const UNIT_WORDS: [string, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
  ['millisecond', 1],
];

/** Milliseconds for a duration such as `10m`, `3d` or `1h30m` (surrounding spaces ignored); null when it is not one. */
export function parseDuration(text: string): number | null {
  const trimmed = text.trim();
  if (!PATTERN.test(trimmed)) {
    return null;
  }
  let total = 0;
  for (const [, value, unit] of trimmed.matchAll(PART)) {
    total += Number(value) * UNIT_MS[unit];
  }
  return Math.round(total);
}

/** What is wrong with a duration, in words, or null when the sandbox will take it. */
export function durationProblem(text: string): string | null {
  if (text.trim() === '') {
    return 'Enter how far to move the clock, such as 10m or 3d.';
  }
  const ms = parseDuration(text);
  if (ms === null) {
    return 'Write a number and a unit (ms, s, m, h or d), such as 90s, 10m, 3d or 1h30m.';
  }
  if (ms === 0) {
    return 'Enter a duration longer than zero.';
  }
  return null;
}

/** `5400000` → "1 hour 30 minutes", for results people read. */
export function describeDuration(ms: number): string {
  if (ms <= 0) {
    return '0 seconds';
  }
  const parts: string[] = [];
  let rest = Math.round(ms);
  for (const [word, size] of UNIT_WORDS) {
    const count = Math.floor(rest / size);
    if (count > 0) {
      parts.push(`${count} ${word}${count === 1 ? '' : 's'}`);
      rest -= count * size;
    }
  }
  return parts.slice(0, 3).join(' ');
}
