import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';

import type { LiveChange } from '@app/contracts';
import { Reader } from '@app/sqlite';

import { LivePublisher } from '../changes/live-publisher';
import { MirrorRecords } from '../mirror/mirror-records';
import type { RoutedChange } from './live-audience';

/** Enough for every credential an operator console is watching; older entries are looked up again. */
const CACHE_SIZE = 10_000;

type Listener = (routed: RoutedChange) => void;

/**
 * Published changes, each with the end user it belongs to, handed on in the
 * order they were published. Looking up a credential's external_id may touch
 * the database, so changes go through one queue: a lookup never lets a later
 * change overtake an earlier one.
 */
@Injectable()
export class LiveFeed implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(LiveFeed.name);
  private readonly listeners = new Set<Listener>();
  private readonly externalIds = new Map<string, string | null>();
  private queue: Promise<void> = Promise.resolve();
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly publisher: LivePublisher,
    private readonly records: MirrorRecords,
    private readonly reader: Reader,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.publisher.subscribe((change) => this.enqueue(change));
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  /** Listeners are called synchronously, in publish order. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once everything published so far has been handed on. */
  drained(): Promise<void> {
    return this.queue;
  }

  private enqueue(change: LiveChange): void {
    this.queue = this.queue
      .then(async () => {
        const routed = { change, externalId: await this.externalIdOf(change) };
        for (const listener of this.listeners) {
          listener(routed);
        }
      })
      .catch((error: unknown) => {
        // The change stays in the log: clients that miss it get it on their next reconnect.
        this.logger.warn(`Could not route change ${change.seq}: ${error instanceof Error ? error.message : 'unknown'}`);
      });
  }

  private async externalIdOf(change: LiveChange): Promise<string | null> {
    if (change.kind === 'credential') {
      this.remember(change.credential_id, change.credential.external_id);
      return change.credential.external_id;
    }
    const credentialId = change.credential_id;
    if (credentialId === null) {
      return null;
    }
    if (this.externalIds.has(credentialId)) {
      return this.externalIds.get(credentialId) ?? null;
    }
    const row = await this.reader.read((manager) => this.records.externalIdOf(manager, credentialId));
    if (!row) {
      return null;
    }
    this.remember(credentialId, row.external_id);
    return row.external_id;
  }

  private remember(credentialId: string, externalId: string | null): void {
    this.externalIds.delete(credentialId);
    this.externalIds.set(credentialId, externalId);
    if (this.externalIds.size > CACHE_SIZE) {
      const oldest = this.externalIds.keys().next().value;
      if (oldest !== undefined) {
        this.externalIds.delete(oldest);
      }
    }
  }
}
