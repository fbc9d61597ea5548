import { Injectable } from '@nestjs/common';

import type { LiveChange } from '@app/contracts';

type Listener = (change: LiveChange) => void;

/**
 * Hands committed changes to whoever pushes them to browsers (the socket
 * gateway). Services call `publish` only after their transaction committed;
 * a lost push is recovered from the change log by sequence number.
 */
@Injectable()
export class LivePublisher {
  private readonly listeners = new Set<Listener>();

  publish(changes: LiveChange[]): void {
    for (const change of changes) {
      for (const listener of this.listeners) {
        listener(change);
      }
    }
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
