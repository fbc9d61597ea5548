import type { DeckEvent, DeckList, DeckTaskRun, EventType } from '@app/deck';

import type { CommandContext } from './command';
import { formatRunChange, formatRunOutcome } from './output';

const RUN_EVENT_TYPES: EventType[] = [
  'task_run.queued',
  'task_run.running',
  'task_run.interaction_required',
  'task_run.review_required',
  'task_run.completed',
  'task_run.failed',
  'task_run.canceling',
  'task_run.canceled',
];
const TERMINAL_EVENTS = new Set<EventType>(['task_run.completed', 'task_run.failed', 'task_run.canceled']);

export type FollowResult =
  { ended: true; run: DeckTaskRun } | { ended: false; status: string; reason: 'timeout' | 'interrupted' };

/**
 * Watches one run until it ends or time runs out, printing every status change.
 *
 * The changes come from the run's `task_run.*` events rather than from polling
 * GET /v2/task-runs/:id alone: with quick scripted steps a run can pass through
 * queued → running → completed between two polls, and every change writes an
 * event, so none is missed and each is printed with the sandbox time it
 * happened. The run itself is read once at the end, for its result and output
 * (events leave output out).
 */
export async function followRun(
  ctx: CommandContext,
  run: DeckTaskRun,
  options: { timeoutMs: number; intervalMs: number },
): Promise<FollowResult> {
  const deadline = ctx.now() + options.timeoutMs;
  // Events are stamped in sandbox time like the run; 1 ms earlier catches the `queued` written with it.
  const since = new Date(Date.parse(run.created_at) - 1).toISOString();
  const seen = new Set<string>();
  let status: string = run.status;
  try {
    for (;;) {
      for (const event of await runEvents(ctx, run.id, since)) {
        if (seen.has(event.id)) {
          continue;
        }
        seen.add(event.id);
        status = event.data.status ?? status;
        if (ctx.json) {
          ctx.out.json(event, true);
        } else {
          formatRunChange(event).forEach((line) => ctx.out.line(line));
        }
        if (TERMINAL_EVENTS.has(event.type)) {
          const final = await ctx.client.get<DeckTaskRun>(`/v2/task-runs/${run.id}`);
          if (ctx.json) {
            ctx.out.json(final, true);
          } else {
            formatRunOutcome(final).forEach((line) => ctx.out.line(line));
          }
          return { ended: true, run: final };
        }
      }
      if (ctx.now() >= deadline) {
        return { ended: false, status, reason: 'timeout' };
      }
      await ctx.sleep(Math.min(options.intervalMs, Math.max(deadline - ctx.now(), 0)));
      if (ctx.signal.aborted) {
        return { ended: false, status, reason: 'interrupted' };
      }
    }
  } catch (error: unknown) {
    if (ctx.signal.aborted) {
      return { ended: false, status, reason: 'interrupted' };
    }
    throw error;
  }
}

/** The run's events since it was created, oldest first (the list pages newest first). */
async function runEvents(ctx: CommandContext, runId: string, since: string): Promise<DeckEvent<DeckTaskRun>[]> {
  const events: DeckEvent<DeckTaskRun>[] = [];
  let cursor: string | undefined;
  do {
    const page = await ctx.client.get<DeckList<DeckEvent<DeckTaskRun>>>('/v2/events', {
      type: RUN_EVENT_TYPES.join(','),
      created_after: since,
      limit: 100,
      cursor,
    });
    events.push(...page.data.filter((e) => e.data.id === runId));
    cursor = page.has_more && page.next_cursor ? page.next_cursor : undefined;
  } while (cursor !== undefined);
  return events.reverse();
}
