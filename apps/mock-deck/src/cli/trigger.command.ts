import { DeckEvent, EVENT_TYPES, EventType } from '@app/deck';

import { defineCommand } from './command';
import { EXIT, UsageError } from './errors';
import { expectPositionals, jsonObjectArg, stringOption } from './input';

export interface TriggerInput {
  type: EventType;
  credential_id?: string;
  object_id?: string;
  data?: Record<string, unknown>;
}

export function parseTrigger(
  positionals: string[],
  values: Record<string, string | boolean | undefined>,
): TriggerInput {
  const [type] = expectPositionals(positionals, ['event-type']);
  if (!(EVENT_TYPES as readonly string[]).includes(type)) {
    throw new UsageError(`unknown event type "${type}"; one of:\n  ${EVENT_TYPES.join('\n  ')}`);
  }
  const credential = stringOption(values, 'credential');
  const object = stringOption(values, 'object');
  if (credential !== undefined && object !== undefined) {
    throw new UsageError('give --credential or --object, not both');
  }
  if (credential !== undefined && !type.startsWith('credential.')) {
    throw new UsageError(`--credential is for credential.* events; a ${type} event takes --object <id>`);
  }
  const data = stringOption(values, 'data');
  return {
    type: type as EventType,
    ...(credential === undefined ? {} : { credential_id: credential }),
    ...(object === undefined ? {} : { object_id: object }),
    ...(data === undefined ? {} : { data: jsonObjectArg(data, '--data') }),
  };
}

export const triggerCommand = defineCommand({
  name: 'trigger',
  synopsis: ['trigger <event-type> [--credential <id> | --object <id>] [--data <json>]'],
  help: `sandbox trigger <event-type> [--credential <id> | --object <id>] [--data <json>]

Sends any event type (credential.invalid, task_run.completed…) to every
subscribed destination. The payload is the object's current snapshot; --data
replaces its top-level fields. Nothing else changes in the sandbox.

  --credential <id>  the credential a credential.* event is about
  --object <id>      the object any event is about
                     (default: your organisation's newest object of that kind)
  --data <json>      a JSON object, e.g. '{"external_id":"user_42"}'`,
  options: { credential: { type: 'string' }, object: { type: 'string' }, data: { type: 'string' } },
  parse: parseTrigger,
  run: async (input, ctx) => {
    const event = await ctx.client.post<DeckEvent>('/sandbox/trigger', input);
    if (ctx.json) {
      ctx.out.json(event);
    } else {
      const about = typeof event.data.id === 'string' ? ` about ${event.data.id}` : '';
      ctx.out.line(`sent ${event.type} ${event.id}${about} at ${event.created_at}`);
    }
    return EXIT.ok;
  },
});
