import { HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { catchError, throwError } from 'rxjs';

import { SessionService } from '../auth/session.service';
import { toApiProblem } from './api-problem';

/**
 * An operator whose session ended mid-page is sent to sign in and brought back
 * afterwards, instead of every panel failing on its own. Connect-page calls
 * carry a link token and handle their own expiry.
 */
export const sessionInterceptor: HttpInterceptorFn = (request, next) => {
  const session = inject(SessionService);
  return next(request).pipe(
    catchError((error: unknown) => {
      const problem = toApiProblem(error);
      const isSessionCall = request.url.startsWith('/api/auth/');
      if (problem.status === 401 && !request.headers.has('X-Link-Token') && !isSessionCall) {
        session.expired();
      }
      return throwError(() => problem);
    }),
  );
};
