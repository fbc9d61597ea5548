import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

import type { Role } from '@app/contracts';

/** Who is calling: an operator with a session, or an end user with a connect link. */
export type Actor =
  | { kind: 'operator'; id: string; email: string; role: Role; sessionHash: string }
  | { kind: 'end_user'; externalId: string; sourceId: string | null; linkHash: string };

export type ActorRequest = Request & { actor?: Actor };

/** For the audit log and `answered_by`. */
export function actorLabel(actor: Actor): string {
  return actor.kind === 'operator' ? actor.id : `end_user:${actor.externalId}`;
}

export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<ActorRequest>().actor;
  if (!actor) {
    throw new Error('CurrentActor used on a public route');
  }
  return actor;
});
