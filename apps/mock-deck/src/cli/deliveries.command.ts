import type { SandboxAttemptTail } from '@app/deck';

import { defineCommand } from './command';
import { EXIT, UsageError } from './errors';
import { durationArg, expectPositionals, stringOption } from './input';
import { formatAttempt } from './output';

export interface DeliveriesInput {
  follow: boolean;
  destinationId?: string;
  intervalMs: number;
}

const DEFAULT_INTERVAL_MS = 500;
/** Faster polling gains nothing and eats into the organisation's 200 requests per 10 s. */
const MIN_INTERVAL_MS = 50;
const PAGE = 100;

export function parseDeliveries(
  positionals: string[],
  values: Record<string, string | boolean | undefined>,
): DeliveriesInput {
  expectPositionals(positionals, []);
  const interval = stringOption(values, 'interval');
  const intervalMs = interval === undefined ? DEFAULT_INTERVAL_MS : durationArg(interval, '--interval').ms;
  if (intervalMs < MIN_INTERVAL_MS) {
    throw new UsageError(`--interval must be at least ${MIN_INTERVAL_MS}ms`);
  }
  const destinationId = stringOption(values, 'destination');
  return { follow: values.follow === true, intervalMs, ...(destinationId === undefined ? {} : { destinationId }) };
}

export const deliveriesCommand = defineCommand({
  name: 'deliveries',
  synopsis: ['deliveries [--follow] [--destination <id>] [--interval <ms>]'],
  help: `sandbox deliveries [--follow] [--destination <id>] [--interval <ms>]

Every webhook request the sandbox made for your organisation, oldest first, one
line each: time, event type, event id, destination, attempt number, outcome,
HTTP status, latency and the delivery faults applied.

  -f, --follow         keep watching for new attempts until Ctrl-C (exits 0)
  --destination <id>   only attempts to this destination (evtd_…)
  --interval <ms>      how often --follow asks (default ${DEFAULT_INTERVAL_MS}ms; 1s, 250ms…)

With --json, one attempt object per line.`,
  options: { follow: { type: 'boolean', short: 'f' }, destination: { type: 'string' }, interval: { type: 'string' } },
  parse: parseDeliveries,
  run: async (input, ctx) => {
    let after = 0;
    let shown = 0;
    let waiting = false;
    try {
      for (;;) {
        const page = await ctx.client.get<SandboxAttemptTail>('/sandbox/attempts', {
          after,
          destination_id: input.destinationId,
          limit: PAGE,
        });
        for (const attempt of page.data) {
          if (ctx.json) {
            ctx.out.json(attempt, true);
          } else {
            ctx.out.line(formatAttempt(attempt));
          }
        }
        shown += page.data.length;
        after = page.next_after;
        if (page.has_more) {
          continue;
        }
        if (!input.follow) {
          if (shown === 0) {
            ctx.out.note('no delivery attempts yet');
          }
          return EXIT.ok;
        }
        if (!waiting) {
          // Once, so a quiet tail shows it is alive without filling the terminal.
          ctx.out.note('waiting for deliveries… (Ctrl-C to stop)');
          waiting = true;
        }
        await ctx.sleep(input.intervalMs);
        if (ctx.signal.aborted) {
          return EXIT.ok;
        }
      }
    } catch (error: unknown) {
      // Ctrl-C while a request was out: the tail simply ends, as a person expects.
      if (ctx.signal.aborted) {
        return EXIT.ok;
      }
      throw error;
    }
  },
});
