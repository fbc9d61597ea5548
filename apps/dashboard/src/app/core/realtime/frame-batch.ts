import { InjectionToken } from '@angular/core';
import { Observable } from 'rxjs';

/**
 * Collects values and hands them on once per animation frame, so fifty live
 * changes a second cost one render each frame instead of fifty.
 */
export function perFrame<T>(schedule: (flush: () => void) => void = requestAnimationFrame) {
  return (source: Observable<T>): Observable<T[]> =>
    new Observable<T[]>((subscriber) => {
      let pending: T[] = [];
      let scheduled = false;
      let closed = false;
      const flush = () => {
        scheduled = false;
        if (closed || pending.length === 0) {
          return;
        }
        const batch = pending;
        pending = [];
        subscriber.next(batch);
      };
      const subscription = source.subscribe({
        next: (value) => {
          pending.push(value);
          if (!scheduled) {
            scheduled = true;
            schedule(flush);
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          flush();
          subscriber.complete();
        },
      });
      return () => {
        closed = true;
        subscription.unsubscribe();
      };
    });
}

/** How live changes are batched: once per animation frame in the browser; specs provide `(flush) => flush()`. */
export const FRAME_SCHEDULER = new InjectionToken<(flush: () => void) => void>('FRAME_SCHEDULER', {
  providedIn: 'root',
  factory: () => (flush: () => void) => {
    requestAnimationFrame(() => flush());
  },
});
