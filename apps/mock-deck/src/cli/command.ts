import type { ExitCode } from './errors';
import type { OptionSpecs, OptionValues } from './args';
import type { Output } from './output';
import type { SandboxClient } from './sandbox-client';

/** What a command gets to do its work. Everything outside the process comes through here, so tests can stub it. */
export interface CommandContext {
  client: SandboxClient;
  out: Output;
  /** `--json`: machine-readable output. */
  json: boolean;
  /** Aborted on Ctrl-C (SIGINT). */
  signal: AbortSignal;
  /** Resolves after `ms`, or at once when `signal` aborts. */
  sleep(ms: number): Promise<void>;
  /** Wall-clock ms, for timeouts. */
  now(): number;
}

/** A command group as written: check the command line, then do the work. */
export interface CommandDefinition<I> {
  name: string;
  /** Lines for the general usage, e.g. `clock advance <duration>`. */
  synopsis: string[];
  /** The full `--help` text of the group. */
  help: string;
  options: OptionSpecs;
  /** Turns positionals and options into the command's input; throws UsageError. Sends nothing. */
  parse(positionals: string[], values: OptionValues): I;
  run(input: I, ctx: CommandContext): Promise<ExitCode>;
}

/** The same with its input type hidden, so groups with different inputs share one registry. */
export interface Command {
  name: string;
  synopsis: string[];
  help: string;
  options: OptionSpecs;
  /** Checks the command line and returns the work; nothing is sent before this returns. */
  prepare(positionals: string[], values: OptionValues): (ctx: CommandContext) => Promise<ExitCode>;
}

export function defineCommand<I>(definition: CommandDefinition<I>): Command {
  const { name, synopsis, help, options } = definition;
  return {
    name,
    synopsis,
    help,
    options,
    prepare: (positionals, values) => {
      const input = definition.parse(positionals, values);
      return (ctx) => definition.run(input, ctx);
    },
  };
}
