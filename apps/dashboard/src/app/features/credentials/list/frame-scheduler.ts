import { InjectionToken } from '@angular/core';

/** How live changes are batched: once per animation frame in the browser; tests provide `(flush) => flush()`. */
export const FRAME_SCHEDULER = new InjectionToken<(flush: () => void) => void>('FRAME_SCHEDULER', {
  providedIn: 'root',
  factory: () => (flush: () => void) => {
    requestAnimationFrame(() => flush());
  },
});
