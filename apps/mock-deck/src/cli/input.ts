import { parseDuration } from '../common/duration';
import { UsageError } from './errors';
import type { OptionValues } from './args';

/**
 * Checks of command-line values, done before anything is sent so a typo costs
 * an exit 2 and a message instead of a half-done change in the sandbox.
 */

/** Exactly these positionals (the last `optional` of them may be absent); names appear in messages. */
export function expectPositionals(positionals: string[], names: string[], optional = 0): string[] {
  const required = names.length - optional;
  if (positionals.length < required) {
    throw new UsageError(
      `missing ${names
        .slice(positionals.length, required)
        .map((n) => `<${n}>`)
        .join(' ')}`,
    );
  }
  if (positionals.length > names.length) {
    throw new UsageError(`unexpected argument "${positionals[names.length]}"`);
  }
  return positionals;
}

/** A string option's value (parseArgs has already refused a string option given as a flag). */
export function stringOption(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

export function oneOf<T extends string>(value: string, allowed: readonly T[], what: string): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`${what} must be one of ${allowed.join(', ')}, not "${value}"`);
  }
  return value as T;
}

/**
 * A duration as the sandbox writes them (`90s`, `10m`, `3d`, `1h30m`, `250ms`);
 * a bare number is milliseconds. `text` is what the sandbox's own pattern
 * accepts, so the check here and there never disagree.
 */
export function durationArg(value: string, what: string): { ms: number; text: string } {
  const trimmed = value.trim();
  const ms = parseDuration(trimmed);
  if (ms === null || trimmed === '') {
    throw new UsageError(`${what}: "${value}" is not a duration; write e.g. 90s, 10m, 3d, 1h30m or 250ms`);
  }
  return { ms, text: /^\d+$/.test(trimmed) ? `${trimmed}ms` : trimmed };
}

/** A whole number within bounds. */
export function integerArg(value: string, what: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const trimmed = value.trim();
  if (!/^-?\d+$/.test(trimmed) || Number(trimmed) < min || Number(trimmed) > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `from ${min} to ${max}`;
    throw new UsageError(`${what} must be a whole number ${range}, not "${value}"`);
  }
  return Number(trimmed);
}

/** A number above zero (decimals allowed: a clock scale of 0.5 is half speed). */
export function positiveNumberArg(value: string, what: string): number {
  const trimmed = value.trim();
  const parsed = Number(trimmed);
  if (trimmed === '' || !Number.isFinite(parsed) || parsed <= 0) {
    throw new UsageError(`${what} must be a number above 0, not "${value}"`);
  }
  return parsed;
}

/** `--data`: a JSON object. Says where parsing stopped, since shells mangle quotes easily. */
export function jsonObjectArg(value: string, what: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error: unknown) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(
      `${what} is not valid JSON (${reason}); quote it for the shell, e.g. ${what} '{"external_id":"user_42"}'`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(`${what} must be a JSON object such as '{"external_id":"user_42"}'`);
  }
  return parsed as Record<string, unknown>;
}
