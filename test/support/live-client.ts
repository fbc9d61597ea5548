import { io, Socket } from 'socket.io-client';

import { LIVE_NAMESPACE } from '@app/contracts';
import type { ClientToServerEvents, LiveChange, LiveHandshake, ServerToClientEvents } from '@app/contracts';

import { waitFor } from './mock-deck-app';

export interface LiveClientOptions {
  /** The handshake's Origin header; null sends none. */
  origin: string | null;
  /** A raw Cookie header, e.g. `deckhand_session=…`. */
  cookie?: string;
  auth?: LiveHandshake;
}

/**
 * A socket.io client of the api's /live namespace that records every event
 * from the moment it is created, so a wait can never miss one that came early.
 * It never reconnects by itself: tests reconnect explicitly with `last_seq`.
 */
export class LiveClient {
  readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  readonly changes: LiveChange[] = [];
  readonly resyncs: { seq: number }[] = [];
  readonly positions: { seq: number }[] = [];
  /** Set when the handshake was refused. */
  refusal: (Error & { data?: { code?: string } }) | null = null;
  disconnectReason: string | null = null;

  constructor(baseUrl: string, options: LiveClientOptions) {
    const headers: Record<string, string> = {};
    if (options.origin !== null) {
      headers.Origin = options.origin;
    }
    if (options.cookie) {
      headers.Cookie = options.cookie;
    }
    this.socket = io(`${baseUrl}${LIVE_NAMESPACE}`, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      extraHeaders: headers,
      auth: { ...options.auth },
    });
    this.socket.on('change', (change) => this.changes.push(change));
    this.socket.on('resync', (info) => this.resyncs.push(info));
    this.socket.on('position', (info) => this.positions.push(info));
    this.socket.on('connect_error', (error) => {
      this.refusal = error;
    });
    this.socket.on('disconnect', (reason) => {
      this.disconnectReason = reason;
    });
  }

  /** Resolves once connected; fails with the refusal's message otherwise. */
  async connected(timeoutMs = 5000): Promise<this> {
    await waitFor(
      async () => {
        if (this.refusal) {
          throw new Error(`Refused: ${this.refusal.message}`);
        }
        return Promise.resolve(this.socket.connected ? true : undefined);
      },
      timeoutMs,
      'the live socket to connect',
    );
    return this;
  }

  /** Resolves with the handshake's refusal. */
  refused(timeoutMs = 5000): Promise<Error & { data?: { code?: string } }> {
    return waitFor(async () => Promise.resolve(this.refusal ?? undefined), timeoutMs, 'a connect_error');
  }

  /** Resolves once at least `count` changes arrived; returns them all. */
  async waitForChanges(count: number, timeoutMs = 5000): Promise<LiveChange[]> {
    await waitFor(
      async () => Promise.resolve(this.changes.length >= count ? true : undefined),
      timeoutMs,
      `${count} live changes (have ${this.changes.length})`,
    );
    return this.changes;
  }

  /** Resolves once a change with this seq arrived. */
  async waitForSeq(seq: number, timeoutMs = 5000): Promise<LiveChange[]> {
    await waitFor(
      async () => Promise.resolve(this.changes.some((c) => c.seq === seq) ? true : undefined),
      timeoutMs,
      `the change with seq ${seq}`,
    );
    return this.changes;
  }

  ping(): Promise<{ seq: number }> {
    return new Promise((resolve) => this.socket.emit('ping', resolve));
  }

  close(): void {
    this.socket.disconnect();
  }
}

export function connectLive(baseUrl: string, options: LiveClientOptions): LiveClient {
  return new LiveClient(baseUrl, options);
}
