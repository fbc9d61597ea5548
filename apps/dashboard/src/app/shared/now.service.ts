import { Injectable, signal } from '@angular/core';

const TICK_MS = 15_000;

/** A coarse "now" for relative times, so "2 minutes ago" keeps itself true without each row keeping a timer. */
@Injectable({ providedIn: 'root' })
export class NowService {
  readonly now = signal(Date.now());

  constructor() {
    setInterval(() => this.now.set(Date.now()), TICK_MS);
  }
}
