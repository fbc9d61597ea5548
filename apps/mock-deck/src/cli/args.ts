import { parseArgs } from 'node:util';

import { API_KEY_PATTERN } from '@app/deck';

import { UsageError } from './errors';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
}

export type OptionSpecs = Record<string, OptionSpec>;
export type OptionValues = Record<string, string | boolean | undefined>;

/** Options every command takes. */
export const GLOBAL_OPTIONS = {
  url: { type: 'string' },
  key: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpecs;

export const DEFAULT_URL = 'http://127.0.0.1:4010';
/** A documented shared development key; any other sk_test_/sk_live_ key is its own organisation. */
export const DEFAULT_API_KEY = 'sk_test_deckhand_local_dev';

export interface Settings {
  url: string;
  apiKey: string;
  json: boolean;
}

/**
 * The command word, wherever the global options stand (`--url x reset` and
 * `reset --url x` both work). Every option any command knows is declared, so a
 * string option's value is never mistaken for the command.
 */
export function findCommand(argv: string[], knownOptions: OptionSpecs): string | undefined {
  const { positionals } = parseArgs({ args: argv, options: knownOptions, strict: false, allowPositionals: true });
  return positionals[0];
}

/**
 * The strict parse for one command: its own options plus the global ones;
 * anything else is a usage error. Returns the positionals after the command word.
 */
export function parseCommandLine(
  argv: string[],
  command: string | undefined,
  options: OptionSpecs,
): { positionals: string[]; values: OptionValues } {
  let parsed: { positionals: string[]; values: Record<string, unknown> };
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...GLOBAL_OPTIONS, ...options },
      strict: true,
      allowPositionals: true,
    });
  } catch (error: unknown) {
    throw new UsageError(describeParseError(error));
  }
  const positionals = [...parsed.positionals];
  if (command !== undefined && positionals[0] === command) {
    positionals.shift();
  }
  return { positionals, values: parsed.values as OptionValues };
}

/** node:util's messages are long and mention `--` escapes; say what is wrong in a few words. */
export function describeParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown }).code;
  const option = /'(-[^' ]+)/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) {
    return `unknown option ${option}`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    if (/argument missing/.test(message)) {
      return `option ${option} needs a value`;
    }
    if (/does not take an argument/.test(message)) {
      return `option ${option} takes no value`;
    }
    if (/ambiguous/.test(message)) {
      return `option ${option} needs a value; for a value starting with "-" write ${option}=<value>`;
    }
  }
  return message;
}

/** `--url` / SANDBOX_URL and `--key` / SANDBOX_API_KEY, each checked before anything is sent. */
export function resolveSettings(values: OptionValues, env: NodeJS.ProcessEnv): Settings {
  const url = stringValue(values.url) ?? nonEmpty(env.SANDBOX_URL) ?? DEFAULT_URL;
  const apiKey = stringValue(values.key) ?? nonEmpty(env.SANDBOX_API_KEY) ?? DEFAULT_API_KEY;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--url must be an http(s) URL such as ${DEFAULT_URL}, not "${url}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UsageError(`--url must be an http(s) URL such as ${DEFAULT_URL}, not "${url}"`);
  }
  if (!API_KEY_PATTERN.test(apiKey)) {
    // Never echo the key: it may be a real one pasted by mistake.
    throw new UsageError('--key must be a sandbox API key: sk_test_… or sk_live_… (letters, digits, _ and -)');
  }
  return { url: url.replace(/\/+$/, ''), apiKey, json: values.json === true };
}

function stringValue(value: string | boolean | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
