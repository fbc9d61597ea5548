const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * A duration as people write it: `250ms`, `5s`, `10m`, `1h`, `3d`, combinations
 * such as `1h30m`, or a bare number of milliseconds. Returns null when the text
 * is not a duration.
 */
export function parseDuration(text: string | number): number | null {
  if (typeof text === 'number') {
    return Number.isFinite(text) && text >= 0 ? text : null;
  }
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) {
    return Number(trimmed);
  }
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== trimmed) {
    return null;
  }
  return Math.round(parts.reduce((total, [, value, unit]) => total + Number(value) * UNITS[unit], 0));
}

/** The inverse, for messages and the CLI: `90061000` → `1d1h1m1s`. */
export function formatDuration(ms: number): string {
  if (ms === 0) {
    return '0s';
  }
  let rest = ms;
  let out = '';
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
    ['ms', 1],
  ] as const) {
    const count = Math.floor(rest / size);
    if (count > 0) {
      out += `${count}${unit}`;
      rest -= count * size;
    }
  }
  return out;
}

/** The longest duration any input takes (clock advance, a forced status's `after`, a scenario's waits). */
export const MAX_DURATION_MS = 3650 * 86_400_000;
export const MAX_DURATION_TEXT = formatDuration(MAX_DURATION_MS);

/**
 * The latest time the sandbox clock may show. Far enough below year 9999 that
 * anything planned from it (at most `MAX_DURATION_MS` later) still has a
 * four-digit year, so stored ISO times stay valid and sort as text.
 */
export const MAX_SANDBOX_MS = Date.UTC(9000, 0, 1);

/** A duration as an input writes it (units required), at most `MAX_DURATION_MS`. */
export function isBoundedDuration(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > 64 || !/^(\d+(\.\d+)?(ms|s|m|h|d))+$/.test(value)) {
    return false;
  }
  const ms = parseDuration(value);
  return ms !== null && ms <= MAX_DURATION_MS;
}
