import { existsSync, readFileSync, statSync } from 'node:fs';

import type { DeckCredential, DeckTaskRun, ScenarioView } from '@app/deck';

import { formatDuration } from '../common/duration';
import { CommandContext, defineCommand } from './command';
import { EXIT, ExitCode, UsageError } from './errors';
import { durationArg, expectPositionals, stringOption } from './input';
import { formatTable } from './output';
import { followRun } from './run-follower';

interface ScenarioRun {
  object: 'scenario_run';
  scenario: string;
  credential: DeckCredential;
  task_run: DeckTaskRun;
}

export interface ScenarioFile {
  path: string;
  text: string;
}

export interface RunScenarioInput {
  action: 'run';
  /** A file to upload first, or the name of a scenario the sandbox already has. */
  target: { file: ScenarioFile } | { name: string };
  body: { external_id?: string; source_id?: string; task_id?: string };
  timeoutMs: number;
  intervalMs: number;
}

export type ScenarioInput =
  | { action: 'list' }
  | { action: 'show' | 'remove'; name: string }
  | { action: 'upload'; file: ScenarioFile }
  | RunScenarioInput;

const DEFAULT_TIMEOUT = '60s';
const DEFAULT_INTERVAL_MS = 200;
const FILE_LIKE = /[\\/]|\.(ya?ml|json)$/i;

/** Reads a scenario file now, so a missing file is a usage error and nothing is sent. */
export function readScenarioFile(path: string): ScenarioFile {
  if (!existsSync(path)) {
    throw new UsageError(`cannot read ${path}: no such file`);
  }
  if (!statSync(path).isFile()) {
    throw new UsageError(`cannot read ${path}: not a file`);
  }
  return { path, text: readFileSync(path, 'utf8') };
}

/**
 * `run <file|name>`: an existing file (or anything that looks like a path) is
 * uploaded first; a bare word such as `user_mfa` names a scenario the sandbox has.
 */
export function scenarioTarget(arg: string): RunScenarioInput['target'] {
  if (existsSync(arg) || FILE_LIKE.test(arg)) {
    return { file: readScenarioFile(arg) };
  }
  return { name: arg };
}

export function parseScenario(
  positionals: string[],
  values: Record<string, string | boolean | undefined>,
): ScenarioInput {
  const [action, ...rest] = positionals;
  switch (action) {
    case undefined:
      throw new UsageError('missing scenario action: list, show, upload, run or remove');
    case 'list':
      expectPositionals(rest, []);
      return { action };
    case 'show':
    case 'remove':
      return { action, name: expectPositionals(rest, ['name'])[0] };
    case 'upload':
      return { action, file: readScenarioFile(expectPositionals(rest, ['file'])[0]) };
    case 'run': {
      const [arg] = expectPositionals(rest, ['file|name']);
      const externalId = stringOption(values, 'external-id');
      const sourceId = stringOption(values, 'source');
      const taskId = stringOption(values, 'task');
      const interval = stringOption(values, 'interval');
      return {
        action,
        target: scenarioTarget(arg),
        body: {
          ...(externalId === undefined ? {} : { external_id: externalId }),
          ...(sourceId === undefined ? {} : { source_id: sourceId }),
          ...(taskId === undefined ? {} : { task_id: taskId }),
        },
        timeoutMs: durationArg(stringOption(values, 'timeout') ?? DEFAULT_TIMEOUT, '--timeout').ms,
        intervalMs: interval === undefined ? DEFAULT_INTERVAL_MS : Math.max(durationArg(interval, '--interval').ms, 50),
      };
    }
    default:
      throw new UsageError(`unknown scenario action "${action}"`);
  }
}

export const scenarioCommand = defineCommand({
  name: 'scenario',
  synopsis: [
    'scenario list | show <name> | remove <name>',
    'scenario upload <file>',
    'scenario run <file|name> [--external-id <x>] [--timeout 60s]',
  ],
  help: `sandbox scenario list             every scenario a username can pick
sandbox scenario show <name>      one scenario's timeline (as JSON)
sandbox scenario upload <file>    check and store a YAML or JSON scenario file
                                  for your organisation
sandbox scenario remove <name>    remove an uploaded scenario
sandbox scenario run <file|name>  upload the file (or take the named scenario),
                                  play it (a new credential named after it and a
                                  run of "Verify login") and print every status
                                  change until the run ends

  --external-id <x>   external_id of the new credential
  --source <id>       source of the new credential (default: the first seeded)
  --task <id>         task to run (default: "Verify login")
  --timeout <d>       how long to watch, real time (default ${DEFAULT_TIMEOUT})
  --interval <ms>     how often to look (default ${DEFAULT_INTERVAL_MS}ms)

run exits 0 when the run completed, 1 when it failed, was canceled or did not
end in time (a run waiting for input or review does not end by itself). A file
the sandbox refuses prints every problem at its path and nothing is run.`,
  options: {
    'external-id': { type: 'string' },
    source: { type: 'string' },
    task: { type: 'string' },
    timeout: { type: 'string' },
    interval: { type: 'string' },
  },
  parse: parseScenario,
  run: async (input, ctx) => {
    const { client, out } = ctx;
    switch (input.action) {
      case 'list': {
        const list = await client.get<{ data: ScenarioView[] }>('/sandbox/scenarios');
        if (ctx.json) {
          out.json(list);
        } else {
          formatTable(list.data.map((s) => [s.name, s.origin, s.description])).forEach((l) => out.line(l));
        }
        return EXIT.ok;
      }
      case 'show': {
        out.json(await client.get<ScenarioView>(`/sandbox/scenarios/${encodeURIComponent(input.name)}`));
        return EXIT.ok;
      }
      case 'remove': {
        const removed = await client.delete<object>(`/sandbox/scenarios/${encodeURIComponent(input.name)}`);
        if (ctx.json) {
          out.json(removed);
        } else {
          out.line(`removed uploaded scenario ${input.name}`);
        }
        return EXIT.ok;
      }
      case 'upload': {
        const view = await upload(ctx, input.file);
        if (ctx.json) {
          out.json(view);
        }
        return EXIT.ok;
      }
      case 'run':
        return runScenario(input, ctx);
    }
  },
});

async function upload(ctx: CommandContext, file: ScenarioFile): Promise<ScenarioView> {
  // YAML is a superset of JSON, so one content type carries either kind of file untouched.
  const view = await ctx.client.postText<ScenarioView>('/sandbox/scenarios', file.text, 'application/yaml');
  if (!ctx.json) {
    ctx.out.line(`uploaded scenario ${view.name} from ${file.path}`);
  }
  return view;
}

async function runScenario(input: RunScenarioInput, ctx: CommandContext): Promise<ExitCode> {
  const { client, out } = ctx;
  let name: string;
  if ('file' in input.target) {
    const view = await upload(ctx, input.target.file);
    if (ctx.json) {
      out.json(view, true);
    }
    name = view.name;
  } else {
    name = input.target.name;
  }
  const played = await client.post<ScenarioRun>(`/sandbox/scenarios/${encodeURIComponent(name)}/run`, input.body);
  if (ctx.json) {
    out.json(played, true);
  } else {
    out.line(`playing ${played.scenario}: credential ${played.credential.id}, run ${played.task_run.id}`);
  }
  const result = await followRun(ctx, played.task_run, { timeoutMs: input.timeoutMs, intervalMs: input.intervalMs });
  if (result.ended) {
    return result.run.status === 'completed' ? EXIT.ok : EXIT.failed;
  }
  out.note(
    result.reason === 'timeout'
      ? `timed out after ${formatDuration(input.timeoutMs)}: run ${played.task_run.id} is still ${result.status}`
      : `stopped watching: run ${played.task_run.id} is still ${result.status}`,
  );
  return EXIT.failed;
}
