import { Injectable } from '@nestjs/common';

type ClockListener = () => void;

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

  now(): Date {
    return new Date(this.nowMs());
  }

  nowMs(): number {
    if (this.frozen) {
      return this.anchorSandbox;
    }
    return Math.floor(this.anchorSandbox + (Date.now() - this.anchorReal) * this.scale);
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

  /** Moves sandbox time forward; work that falls due in between runs at once. */
  advance(ms: number): void {
    this.reanchor();
    this.anchorSandbox += ms;
    this.notify();
  }

  /** Real milliseconds until sandbox time reaches `atMs`, or null while frozen. */
  realDelayUntil(atMs: number): number | null {
    if (this.frozen) {
      return null;
    }
    return Math.max(0, (atMs - this.nowMs()) / this.scale);
  }

  /** Called whenever time jumps or changes speed, so schedulers can re-plan. */
  onChange(listener: ClockListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private reanchor(): void {
    this.anchorSandbox = this.nowMs();
    this.anchorReal = Date.now();
  }

  private notify(): void {
    for (const listener of this.listeners) {
      listener();
    }
  }
}
