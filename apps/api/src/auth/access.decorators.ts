import { SetMetadata } from '@nestjs/common';

import type { Role } from '@app/contracts';

export const ACCESS = 'deckhand:access';

/**
 * Who may call a route. The default (no decorator) is any logged-in operator,
 * read-only roles included.
 */
export type Access =
  | { kind: 'public' }
  /** Operators of at least this role. */
  | { kind: 'role'; role: Role }
  /** An operator of at least this role, or an end user holding a connect link. */
  | { kind: 'role_or_link'; role: Role };

/** No login: webhooks (signed instead), health, login itself. */
export const Public = () => SetMetadata(ACCESS, { kind: 'public' } satisfies Access);

/** Operators of at least `role` (viewer < operator < admin). */
export const RequireRole = (role: Role) => SetMetadata(ACCESS, { kind: 'role', role } satisfies Access);

/** The connect page's routes: an operator of at least `role`, or a valid link token. */
export const RoleOrLink = (role: Role) => SetMetadata(ACCESS, { kind: 'role_or_link', role } satisfies Access);
