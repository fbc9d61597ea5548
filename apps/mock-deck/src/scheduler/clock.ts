import { Injectable } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';

import { MAX_SANDBOX_MS } from '../common/duration';

type ClockListener = () => void;

/** Fastest the clock may run: sandbox seconds per real second. */
export const MAX_SCALE = 1_000_000;

/** Enough to carry the clock across a restart: where it stood, at what real time, and how it ran. */
export interface ClockState {
  sandbox_ms: number;
  real_ms: number;
  scale: number;
  frozen: boolean;
}

/**
 * The sandbox's own time. Real by default; it can run faster or slower
 * (`scale`), stand still (`freeze`) and jump forward (`advance`), so a ten-minute
 * prompt window or a credential that breaks three days later is tested in
 * milliseconds. Everything that stamps or schedules reads this clock, never Date.
 */
@Injectable()
export class SandboxClock {
  private anchorReal = Date.now();
  private anchorSandbox = Date.now();
  private scale = 1;
  private frozen = false;
  private readonly listeners = new Set<ClockListener>();
  /** Set while due work runs at the time it fell due (see `at`). */
  private readonly asOf = new AsyncLocalStorage<number>();

  now(): Date {
    return new Date(this.nowMs());
  }

  nowMs(): number {
    const asOf = this.asOf.getStore();
    if (asOf !== undefined) {
      return asOf;
    }
    if (this.frozen) {
      return this.anchorSandbox;
    }
    // A fast clock left running for long enough stops at the latest time the sandbox can store.
    return Math.min(MAX_SANDBOX_MS, Math.floor(this.anchorSandbox + (Date.now() - this.anchorReal) * this.scale));
  }

  isFrozen(): boolean {
    return this.frozen;
  }

  getScale(): number {
    return this.scale;
  }

  setScale(scale: number): void {
    this.reanchor();
    this.scale = scale;
    this.notify();
  }

  freeze(): void {
    this.reanchor();
    this.frozen = true;
    this.notify();
  }

  resume(): void {
    this.reanchor();
    this.frozen = false;
    this.notify();
  }

  /**
   * Moves sandbox time forward, never past `MAX_SANDBOX_MS` (a RangeError, and
   * the clock stays); work that falls due in between runs at once.
   */
  advance(ms: number): void {
    // Checked against the anchor it moves, so a running clock cannot creep past the limit in between.
    this.reanchor();
    if (!(ms >= 0 && ms <= MAX_SANDBOX_MS - this.anchorSandbox)) {
      throw new RangeError(`Cannot advance the clock by ${ms} ms`);
    }
    this.anchorSandbox += ms;
    this.notify();
  }

  /**
   * Runs work that fell due at `atMs` as of that time: everything it stamps or
   * schedules counts from when it was due, not from when it ran. So jumping the
   * clock three days is the same as letting three days pass.
   */
  at<T>(atMs: number, work: () => Promise<T>): Promise<T> {
    return this.asOf.run(Math.min(atMs, this.realNowMs()), work);
  }

  /** Runs work outside any `at`, so work it merely starts (a scheduler pass) keeps the present time. */
  detached<T>(work: () => T): T {
    return this.asOf.exit(work);
  }

  /** Real milliseconds until sandbox time reaches `atMs`, or null while frozen. */
  realDelayUntil(atMs: number): number | null {
    if (this.frozen) {
      return null;
    }
    return Math.max(0, (atMs - this.realNowMs()) / this.scale);
  }

  state(): ClockState {
    this.reanchor();
    return { sandbox_ms: this.anchorSandbox, real_ms: this.anchorReal, scale: this.scale, frozen: this.frozen };
  }

  /** Whether a saved state can be picked up: finite, within the times the sandbox can store, a usable speed. */
  static isValidState(state: ClockState): boolean {
    return (
      Number.isSafeInteger(state.sandbox_ms) &&
      state.sandbox_ms >= 0 &&
      state.sandbox_ms <= MAX_SANDBOX_MS &&
      Number.isSafeInteger(state.real_ms) &&
      Number.isFinite(state.scale) &&
      state.scale > 0 &&
      state.scale <= MAX_SCALE &&
      typeof state.frozen === 'boolean'
    );
  }

  /** Picks up a saved state: a frozen clock stays where it was; a running one went on while the sandbox was down. */
  restore(state: ClockState): void {
    this.anchorSandbox = state.sandbox_ms;
    this.anchorReal = state.real_ms;
    this.scale = state.scale;
    this.frozen = state.frozen;
    this.notify();
  }

  /** Called whenever time jumps or changes speed, so schedulers can re-plan. */
  onChange(listener: ClockListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Sandbox time now, ignoring any `at`. */
  private realNowMs(): number {
    return this.detached(() => this.nowMs());
  }

  private reanchor(): void {
    this.anchorSandbox = this.realNowMs();
    this.anchorReal = Date.now();
  }

  private notify(): void {
    for (const listener of this.listeners) {
      listener();
    }
  }
}
