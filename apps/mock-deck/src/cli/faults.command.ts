import type { DeliveryFaults, DestinationFaults } from '@app/deck';

import { defineCommand } from './command';
import { EXIT, UsageError } from './errors';
import { durationArg, expectPositionals, integerArg, stringOption } from './input';

export type FaultsInput =
  | { action: 'show' | 'clear'; destinationId: string }
  | { action: 'set'; destinationId: string; faults: DeliveryFaults };

/**
 * Flags as people type them; the sandbox checks the bounds (duplicate 1–5…)
 * and answers with the field at fault, so only the shape is checked here.
 */
export function faultsFromOptions(values: Record<string, string | boolean | undefined>): DeliveryFaults {
  const faults: DeliveryFaults = {};
  const count = (flag: string): number | undefined => {
    const value = stringOption(values, flag);
    return value === undefined ? undefined : integerArg(value, `--${flag}`, 1);
  };
  const ms = (flag: string): number | undefined => {
    const value = stringOption(values, flag);
    return value === undefined ? undefined : durationArg(value, `--${flag}`).ms;
  };
  const set = <K extends keyof DeliveryFaults>(key: K, value: DeliveryFaults[K] | undefined) => {
    if (value !== undefined) {
      faults[key] = value;
    }
  };
  set('duplicate', count('duplicate'));
  set('drop_first', count('drop-first'));
  set('fail_first', count('fail-first'));
  set('delay_ms', ms('delay'));
  set('reorder_window_ms', ms('reorder-window'));
  set('stale_timestamp_s', count('stale-timestamp'));
  set('late_events', count('late-events'));
  set('bad_signature', values['bad-signature'] === true ? true : undefined);
  set('dual_signature', values['dual-signature'] === true ? true : undefined);
  return faults;
}

export function parseFaults(positionals: string[], values: Record<string, string | boolean | undefined>): FaultsInput {
  const [action, ...rest] = positionals;
  switch (action) {
    case 'show':
    case 'clear':
      return { action, destinationId: expectPositionals(rest, ['destination-id'])[0] };
    case 'set': {
      const [destinationId] = expectPositionals(rest, ['destination-id']);
      const faults = faultsFromOptions(values);
      if (Object.keys(faults).length === 0) {
        throw new UsageError('faults set needs at least one fault option (or use: faults clear <destination-id>)');
      }
      return { action, destinationId, faults };
    }
    case undefined:
      throw new UsageError('missing faults action: show, set or clear');
    default:
      throw new UsageError(`unknown faults action "${action}"`);
  }
}

export function formatFaults(view: DestinationFaults): string {
  const faults = Object.entries(view.faults ?? {}).map(([name, value]) =>
    value === true ? name : `${name}=${String(value)}`,
  );
  return faults.length > 0 ? `faults on ${view.id}: ${faults.join(', ')}` : `no faults on ${view.id}`;
}

export const faultsCommand = defineCommand({
  name: 'faults',
  synopsis: ['faults show | clear <destination-id>', 'faults set <destination-id> [--duplicate n] [--drop-first n] …'],
  help: `sandbox faults show <destination-id>
sandbox faults clear <destination-id>
sandbox faults set <destination-id> [fault options]

Delivery faults a webhook receiver must survive, on one destination, from its
next send. set replaces every fault set before.

  --duplicate <n>        n extra copies of each successful send (1–5)
  --drop-first <n>       do not send the first n tries of each delivery (1–10)
  --fail-first <n>       send the first n tries but count them failed (1–10)
  --delay <duration>     hold every first attempt this long (sandbox time)
  --reorder-window <d>   hold first attempts to the end of a window, then send
                         them newest first
  --stale-timestamp <s>  sign with a timestamp this many seconds old
  --bad-signature        sign with a wrong secret
  --dual-signature       add a second v1 signature, as during a rotation
  --late-events <s>      commit the organisation's events this many seconds
                         behind the clock (1–3600), so GET /v2/events lists
                         them below events already listed; each object's own
                         events stay in order`,
  options: {
    duplicate: { type: 'string' },
    'drop-first': { type: 'string' },
    'fail-first': { type: 'string' },
    delay: { type: 'string' },
    'reorder-window': { type: 'string' },
    'stale-timestamp': { type: 'string' },
    'bad-signature': { type: 'boolean' },
    'dual-signature': { type: 'boolean' },
    'late-events': { type: 'string' },
  },
  parse: parseFaults,
  run: async (input, ctx) => {
    const path = `/sandbox/event-destinations/${encodeURIComponent(input.destinationId)}/faults`;
    let view: DestinationFaults;
    switch (input.action) {
      case 'show':
        view = await ctx.client.get<DestinationFaults>(path);
        break;
      case 'clear':
        view = await ctx.client.delete<DestinationFaults>(path);
        break;
      case 'set':
        view = await ctx.client.put<DestinationFaults>(path, input.faults);
        break;
    }
    if (ctx.json) {
      ctx.out.json(view);
    } else {
      ctx.out.line(formatFaults(view));
    }
    return EXIT.ok;
  },
});
