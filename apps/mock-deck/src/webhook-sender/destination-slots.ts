/**
 * Sends in flight per destination, bounded: a burst goes out concurrently, but
 * one receiver never gets more than `limit` requests at once from the sandbox.
 */
export class DestinationSlots {
  private readonly inFlight = new Map<string, number>();

  constructor(readonly limit: number) {}

  /** How many more sends the destination may take now. */
  free(destinationId: string): number {
    return this.limit - (this.inFlight.get(destinationId) ?? 0);
  }

  /** Destinations with no slot left. */
  full(): string[] {
    return [...this.inFlight].filter(([, n]) => n >= this.limit).map(([id]) => id);
  }

  take(destinationId: string): void {
    this.inFlight.set(destinationId, (this.inFlight.get(destinationId) ?? 0) + 1);
  }

  release(destinationId: string): void {
    const left = (this.inFlight.get(destinationId) ?? 1) - 1;
    if (left <= 0) {
      this.inFlight.delete(destinationId);
    } else {
      this.inFlight.set(destinationId, left);
    }
  }
}
