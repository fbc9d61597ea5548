import type { DeckTaskRun } from '@app/deck';

import { defineCommand } from './command';
import { EXIT } from './errors';
import { expectPositionals, oneOf } from './input';

export const reviewCommand = defineCommand({
  name: 'review',
  synopsis: ['review <run-id> approve|reject'],
  help: `sandbox review <run-id> approve|reject

Decides a run waiting in review_required: approve completes it, reject fails it
with review_rejected.`,
  options: {},
  parse: (positionals) => {
    const [id, decision] = expectPositionals(positionals, ['run-id', 'decision']);
    return { id, decision: oneOf(decision, ['approve', 'reject'] as const, 'the decision') };
  },
  run: async (input, ctx) => {
    const run = await ctx.client.post<DeckTaskRun>(`/sandbox/task-runs/${encodeURIComponent(input.id)}/review`, {
      decision: input.decision,
    });
    if (ctx.json) {
      ctx.out.json(run);
    } else {
      ctx.out.line(`run ${run.id} ${input.decision === 'approve' ? 'approved' : 'rejected'}: ${run.status}`);
    }
    return EXIT.ok;
  },
});
