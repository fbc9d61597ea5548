import { findCommand, GLOBAL_OPTIONS, OptionSpecs, parseCommandLine, resolveSettings } from './args';
import { clockCommand } from './clock.command';
import type { Command, CommandContext } from './command';
import { credentialCommand } from './credential.command';
import { deliveriesCommand } from './deliveries.command';
import { CommandFailed, EXIT, ExitCode, SandboxError, UnreachableError, UsageError } from './errors';
import { faultsCommand } from './faults.command';
import { streamOutput } from './output';
import { redeliverCommand } from './redeliver.command';
import { resetCommand } from './reset.command';
import { reviewCommand } from './review.command';
import { FetchLike, SandboxClient } from './sandbox-client';
import { scenarioCommand } from './scenario.command';
import { secretCommand } from './secret.command';
import { triggerCommand } from './trigger.command';
import { commandHelp, generalUsage, shortUsage } from './usage';

export const COMMANDS: Command[] = [
  resetCommand,
  clockCommand,
  triggerCommand,
  deliveriesCommand,
  scenarioCommand,
  credentialCommand,
  reviewCommand,
  faultsCommand,
  redeliverCommand,
  secretCommand,
];

/** Everything the CLI touches outside itself; the entry below wires the real process, tests wire stubs. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Aborted on Ctrl-C. */
  signal: AbortSignal;
  fetch?: FetchLike;
  now?: () => number;
}

/** Every option any command knows, so the command word is found wherever options stand. */
const ALL_OPTIONS: OptionSpecs = Object.assign({}, GLOBAL_OPTIONS, ...COMMANDS.map((c) => c.options)) as OptionSpecs;

/** Runs one command line and returns the exit code; it never exits the process itself. */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<ExitCode> {
  const out = streamOutput(io.stdout, io.stderr);
  const name = findCommand(argv, ALL_OPTIONS);
  const wantsHelp = argv.includes('--help') || argv.includes('-h');

  if (name === undefined || name === 'help') {
    const topic = name === 'help' ? findCommand(argv.slice(argv.indexOf('help') + 1), ALL_OPTIONS) : undefined;
    const command = COMMANDS.find((c) => c.name === topic);
    if (topic !== undefined && !command) {
      out.note(`error: unknown command "${topic}"\n\n${generalUsage(COMMANDS)}`);
      return EXIT.usage;
    }
    if (command) {
      out.line(commandHelp(command));
      return EXIT.ok;
    }
    if (name === 'help' || wantsHelp) {
      out.line(generalUsage(COMMANDS));
      return EXIT.ok;
    }
    out.note(`error: missing command\n\n${generalUsage(COMMANDS)}`);
    return EXIT.usage;
  }

  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    out.note(`error: unknown command "${name}"\n\n${generalUsage(COMMANDS)}`);
    return EXIT.usage;
  }

  try {
    const { positionals, values } = parseCommandLine(argv, name, command.options);
    if (values.help === true) {
      out.line(commandHelp(command));
      return EXIT.ok;
    }
    const settings = resolveSettings(values, env);
    // Every check of the command line happens here, before the first request.
    const work = command.prepare(positionals, values);
    const ctx: CommandContext = {
      client: new SandboxClient({ url: settings.url, apiKey: settings.apiKey, fetch: io.fetch, signal: io.signal }),
      out,
      json: settings.json,
      signal: io.signal,
      sleep: (ms) => sleep(ms, io.signal),
      now: io.now ?? (() => Date.now()),
    };
    return await work(ctx);
  } catch (error: unknown) {
    if (error instanceof UsageError) {
      out.note(`error: ${error.message}\n\n${shortUsage(command, COMMANDS)}`);
      return EXIT.usage;
    }
    if (error instanceof UnreachableError) {
      out.note(`${error.message}\n  (${error.reason})`);
      return EXIT.unreachable;
    }
    if (error instanceof SandboxError || error instanceof CommandFailed) {
      out.note(error.message);
      return EXIT.failed;
    }
    if (io.signal.aborted) {
      out.note('interrupted');
      return EXIT.failed;
    }
    out.note(`unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return EXIT.failed;
  }
}

/** A timer Ctrl-C cuts short, so a waiting tail stops at once. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

if (require.main === module) {
  const interrupt = new AbortController();
  // The first Ctrl-C ends the command cleanly (a live tail exits 0); a second one kills as usual.
  process.once('SIGINT', () => interrupt.abort());
  // A closed pipe (`… | head`) is not an error worth a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') {
      process.exit(process.exitCode ?? 0);
    }
  });
  void runCli(process.argv.slice(2), process.env, {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    signal: interrupt.signal,
  }).then((code) => {
    process.exitCode = code;
  });
}
