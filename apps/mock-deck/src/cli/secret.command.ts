import type { DestinationSecret } from '@app/deck';

import { defineCommand } from './command';
import { EXIT } from './errors';
import { expectPositionals } from './input';

export const secretCommand = defineCommand({
  name: 'secret',
  synopsis: ['secret <destination-id>'],
  help: `sandbox secret <destination-id>

Prints the destination's whsec_ signing secret (and, during a rotation's 24 h
overlap, the previous one), so a local receiver can verify signatures.`,
  options: {},
  parse: (positionals) => ({ id: expectPositionals(positionals, ['destination-id'])[0] }),
  run: async (input, ctx) => {
    const view = await ctx.client.get<DestinationSecret>(
      `/sandbox/event-destinations/${encodeURIComponent(input.id)}/secret`,
    );
    if (ctx.json) {
      ctx.out.json(view);
    } else {
      // The secret alone on stdout, so `SECRET=$(npm run -s sandbox -- secret evtd_…)` works.
      ctx.out.line(view.secret ?? '');
      if (view.previous_secret) {
        ctx.out.note(`previous secret ${view.previous_secret} signs until ${view.previous_secret_expires_at ?? '?'}`);
      }
    }
    return EXIT.ok;
  },
});
