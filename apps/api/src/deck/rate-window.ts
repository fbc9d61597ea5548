/**
 * A sliding-window limiter: at most `limit` starts per `windowMs`. Deck allows
 * 200 requests per 10 s per organisation; staying under it on our side means
 * a burst waits a little instead of collecting 429s.
 */
export class RateWindow {
  private readonly starts: number[] = [];

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** How many requests could start now without waiting. */
  available(): number {
    const since = this.now() - this.windowMs;
    return this.limit - this.starts.filter((start) => start > since).length;
  }

  /** Resolves when a request may start. */
  async take(): Promise<void> {
    for (;;) {
      const now = this.now();
      while (this.starts.length > 0 && this.starts[0] <= now - this.windowMs) {
        this.starts.shift();
      }
      if (this.starts.length < this.limit) {
        this.starts.push(now);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, this.starts[0] + this.windowMs - now));
    }
  }
}
