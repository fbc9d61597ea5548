import type { DeckEventDelivery } from '@app/deck';

import { defineCommand } from './command';
import { EXIT } from './errors';
import { expectPositionals } from './input';

export const redeliverCommand = defineCommand({
  name: 'redeliver',
  synopsis: ['redeliver <delivery-id>'],
  help: `sandbox redeliver <delivery-id>

Sends a delivery's event again now (same webhook-id, fresh timestamp), whatever
its status; the attempt shows up in "deliveries" marked (redelivery).`,
  options: {},
  parse: (positionals) => ({ id: expectPositionals(positionals, ['delivery-id'])[0] }),
  run: async (input, ctx) => {
    const delivery = await ctx.client.post<DeckEventDelivery>(
      `/sandbox/event-deliveries/${encodeURIComponent(input.id)}/redeliver`,
    );
    if (ctx.json) {
      ctx.out.json(delivery);
    } else {
      ctx.out.line(
        `redelivery of ${delivery.id} (${delivery.event_type} ${delivery.event_id} → ${delivery.event_destination_id}) requested`,
      );
    }
    return EXIT.ok;
  },
});
