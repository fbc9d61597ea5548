import { DEFAULT_API_KEY, DEFAULT_URL } from './args';
import type { Command } from './command';

export const PROGRAM = 'npm run sandbox --';

const GLOBAL_HELP = `options (every command):
  --url <url>   the sandbox (env SANDBOX_URL; default ${DEFAULT_URL})
  --key <key>   API key, i.e. your organisation (env SANDBOX_API_KEY;
                default ${DEFAULT_API_KEY}, a shared development key)
  --json        machine-readable output (streams: one JSON object per line)
  -h, --help    help, for the CLI or one command

exit codes: 0 done; 1 the sandbox answered with an error, or the scenario did
not complete; 2 wrong command line (nothing was sent); 3 the sandbox could not
be reached.`;

/** The general usage: every command's synopsis, the shared options, the exit codes. */
export function generalUsage(commands: Command[]): string {
  const lines = commands.flatMap((c) => c.synopsis.map((s) => `  ${s}`));
  return `usage: ${PROGRAM} <command> [options]

Drives the offline Deck v2 sandbox through its control plane (/sandbox).

commands:
${lines.join('\n')}

${GLOBAL_HELP}
Run "${PROGRAM} <command> --help" for a command's details.`;
}

/** One command's `--help`. */
export function commandHelp(command: Command): string {
  return `usage: ${command.help.replace(/^sandbox /gm, `${PROGRAM} `)}\n\n${GLOBAL_HELP}`;
}

/** What follows a usage error: the command's synopsis and where to read more. */
export function shortUsage(command: Command | undefined, commands: Command[]): string {
  if (!command) {
    return generalUsage(commands);
  }
  return `usage:\n${command.synopsis.map((s) => `  ${PROGRAM} ${s}`).join('\n')}\nRun "${PROGRAM} ${command.name} --help" for details.`;
}
