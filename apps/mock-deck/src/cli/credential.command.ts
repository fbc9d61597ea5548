import type { ForcedStatus } from '@app/deck';

import { defineCommand } from './command';
import { EXIT, UsageError } from './errors';
import { durationArg, expectPositionals, oneOf, stringOption } from './input';

const STATUSES = ['unverified', 'verified', 'invalid'] as const;

export interface CredentialStatusInput {
  id: string;
  status: (typeof STATUSES)[number];
  after?: string;
}

export function parseCredential(
  positionals: string[],
  values: Record<string, string | boolean | undefined>,
): CredentialStatusInput {
  const [action, ...rest] = positionals;
  if (action !== 'status') {
    throw new UsageError(
      action === undefined ? 'missing credential action: status' : `unknown credential action "${action}"`,
    );
  }
  const [id, status] = expectPositionals(rest, ['credential-id', 'status']);
  const after = stringOption(values, 'after');
  return {
    id,
    status: oneOf(status, STATUSES, 'the status'),
    ...(after === undefined ? {} : { after: durationArg(after, '--after').text }),
  };
}

export const credentialCommand = defineCommand({
  name: 'credential',
  synopsis: ['credential status <credential-id> unverified|verified|invalid [--after 3d]'],
  help: `sandbox credential status <credential-id> unverified|verified|invalid [--after <duration>]

Forces a credential's status now, or plans it for later: --after 3d makes a
good credential break three days of sandbox time from now (see clock advance).`,
  options: { after: { type: 'string' } },
  parse: parseCredential,
  run: async (input, ctx) => {
    const forced = await ctx.client.post<ForcedStatus>(`/sandbox/credentials/${encodeURIComponent(input.id)}/status`, {
      status: input.status,
      ...(input.after === undefined ? {} : { after: input.after }),
    });
    if (ctx.json) {
      ctx.out.json(forced);
    } else if (forced.scheduled) {
      ctx.out.line(
        `credential ${forced.credential.id} is ${forced.credential.status}; goes ${forced.scheduled.status} at ${forced.scheduled.at} (sandbox time)`,
      );
    } else {
      ctx.out.line(`credential ${forced.credential.id} is now ${forced.credential.status}`);
    }
    return EXIT.ok;
  },
});
