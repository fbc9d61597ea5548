import { defineCommand } from './command';
import { EXIT } from './errors';
import { expectPositionals } from './input';

interface ResetView {
  object: 'sandbox_reset';
  organization: string;
  deleted: Record<string, number>;
}

/** What the reset removed, table by table, leaving out the empty ones. */
export function formatReset(view: ResetView): string {
  const removed = Object.entries(view.deleted)
    .filter(([, count]) => count > 0)
    .map(([table, count]) => `${table} ${count}`);
  return `reset organisation ${view.organization}: ${
    removed.length > 0 ? `deleted ${removed.join(', ')}` : 'nothing to delete'
  }; seeded again`;
}

export const resetCommand = defineCommand({
  name: 'reset',
  synopsis: ['reset'],
  help: `sandbox reset

Deletes everything your organisation (your API key) has: credentials, runs,
events, destinations, uploaded scenarios… and seeds it again.`,
  options: {},
  parse: (positionals) => {
    expectPositionals(positionals, []);
    return {};
  },
  run: async (_input, ctx) => {
    const view = await ctx.client.post<ResetView>('/sandbox/reset');
    if (ctx.json) {
      ctx.out.json(view);
    } else {
      ctx.out.line(formatReset(view));
    }
    return EXIT.ok;
  },
});
