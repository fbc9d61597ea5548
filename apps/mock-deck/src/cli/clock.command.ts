import type { SandboxClockView } from '@app/deck';

import { defineCommand } from './command';
import { EXIT, UsageError } from './errors';
import { durationArg, expectPositionals, positiveNumberArg } from './input';
import { formatClock } from './output';

export type ClockInput =
  { action: 'show' | 'freeze' | 'resume' } | { action: 'advance'; by: string } | { action: 'scale'; scale: number };

export function parseClock(positionals: string[]): ClockInput {
  const [action = 'show', ...rest] = positionals;
  switch (action) {
    case 'show':
    case 'freeze':
    case 'resume':
      expectPositionals(rest, []);
      return { action };
    case 'advance': {
      const [by] = expectPositionals(rest, ['duration']);
      return { action, by: durationArg(by, 'clock advance').text };
    }
    case 'scale': {
      const [scale] = expectPositionals(rest, ['n']);
      return { action, scale: positiveNumberArg(scale, 'clock scale') };
    }
    default:
      throw new UsageError(`unknown clock action "${action}"`);
  }
}

export const clockCommand = defineCommand({
  name: 'clock',
  synopsis: ['clock [show]', 'clock freeze | resume', 'clock advance <duration>', 'clock scale <n>'],
  help: `sandbox clock [show]              sandbox time, frozen or running, speed
sandbox clock freeze             stop sandbox time
sandbox clock resume             let it run again
sandbox clock advance <duration> jump forward (90s, 10m, 3d, 1h30m); answers once
                                 everything due in between has run
sandbox clock scale <n>          sandbox seconds per real second (1 is real time)

The clock is one for the whole sandbox: it moves every organisation's time.`,
  options: {},
  parse: parseClock,
  run: async (input, ctx) => {
    const { client } = ctx;
    let view: SandboxClockView;
    let done: string;
    switch (input.action) {
      case 'show':
        view = await client.get<SandboxClockView>('/sandbox/clock');
        done = '';
        break;
      case 'freeze':
      case 'resume':
        view = await client.post<SandboxClockView>(`/sandbox/clock/${input.action}`);
        done = input.action === 'freeze' ? 'frozen: ' : 'resumed: ';
        break;
      case 'advance':
        view = await client.post<SandboxClockView>('/sandbox/clock/advance', { by: input.by });
        done = `advanced ${input.by}: `;
        break;
      case 'scale':
        view = await client.put<SandboxClockView>('/sandbox/clock/scale', { scale: input.scale });
        done = 'scale set: ';
        break;
    }
    if (ctx.json) {
      ctx.out.json(view);
    } else {
      ctx.out.line(done + formatClock(view));
    }
    return EXIT.ok;
  },
});
