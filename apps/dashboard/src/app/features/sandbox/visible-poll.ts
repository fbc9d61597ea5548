import { DOCUMENT } from '@angular/common';
import { DestroyRef, inject, signal } from '@angular/core';

/**
 * Runs `tick` every `everyMs` while the page is visible (document.visibilityState),
 * one at a time (the next waits for the last to settle), at once when the tab
 * comes back, and never after the component is destroyed. Call in an injection
 * context (a constructor or field initialiser).
 */
export function pollWhileVisible(everyMs: number, tick: () => Promise<void>) {
  const doc = inject(DOCUMENT);
  const visible = signal(doc.visibilityState !== 'hidden');
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running = false;
  let stopped = false;
  let paused = false;

  const schedule = (delay: number): void => {
    if (timer !== null) {
      clearTimeout(timer);
    }
    timer = null;
    if (stopped || paused || !visible()) {
      return;
    }
    timer = setTimeout(() => void run(), delay);
  };
  const run = async (): Promise<void> => {
    timer = null;
    if (running || stopped) {
      return;
    }
    running = true;
    try {
      await tick();
    } catch {
      // The tick shows its own errors; polling carries on.
    } finally {
      running = false;
      schedule(everyMs);
    }
  };
  const onVisibility = (): void => {
    visible.set(doc.visibilityState !== 'hidden');
    schedule(0);
  };

  doc.addEventListener('visibilitychange', onVisibility);
  inject(DestroyRef).onDestroy(() => {
    stopped = true;
    doc.removeEventListener('visibilitychange', onVisibility);
    if (timer !== null) {
      clearTimeout(timer);
    }
  });

  return {
    /** Whether the page is visible (polling runs only then). */
    visible: visible.asReadonly(),
    /** Starts (or restarts) polling now. */
    start: (): void => {
      paused = false;
      schedule(0);
    },
    /** Stops polling until `start()`. */
    pause: (): void => {
      paused = true;
      schedule(0);
    },
  };
}
