import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';

import type { Role } from '@app/contracts';

import { SessionService } from './session.service';

/** No session: to the sign-in page, which brings the operator back here afterwards. */
export const authGuard: CanActivateFn = async (_route, state) => {
  const session = inject(SessionService);
  const router = inject(Router);
  if (await session.restore()) {
    return true;
  }
  return router.createUrlTree(['/login'], { queryParams: { returnUrl: state.url } });
};

/** Pages only some roles may open; the api refuses the calls anyway. */
export function roleGuard(role: Role): CanActivateFn {
  return async () => {
    const session = inject(SessionService);
    const router = inject(Router);
    await session.restore();
    return session.can(role) ? true : router.createUrlTree(['/credentials']);
  };
}
