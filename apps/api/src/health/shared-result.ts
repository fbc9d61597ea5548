/**
 * One answer per key, shared by every caller while it is being worked out and
 * for `ttlMs` after: a burst of callers costs one piece of work, not one each.
 * `work` must not reject (a failure is an answer too).
 */
export class SharedResults<T> {
  private readonly entries = new Map<string, { answer: Promise<T>; settledAtMs: number | null }>();

  constructor(
    private readonly ttlMs: number,
    private readonly nowMs: () => number,
  ) {}

  get(key: string, work: () => Promise<T>): Promise<T> {
    const now = this.nowMs();
    const cached = this.entries.get(key);
    if (cached && (cached.settledAtMs === null || this.fresh(cached.settledAtMs, now))) {
      return cached.answer;
    }
    for (const [old, entry] of this.entries) {
      if (entry.settledAtMs !== null && !this.fresh(entry.settledAtMs, now)) {
        this.entries.delete(old);
      }
    }
    const entry: { answer: Promise<T>; settledAtMs: number | null } = { answer: work(), settledAtMs: null };
    const settle = () => {
      entry.settledAtMs = this.nowMs();
    };
    entry.answer.then(settle, settle);
    this.entries.set(key, entry);
    return entry.answer;
  }

  /** A clock that went back (a test, a corrected host clock) makes an answer stale, not eternal. */
  private fresh(settledAtMs: number, now: number): boolean {
    return now >= settledAtMs && now - settledAtMs < this.ttlMs;
  }
}
