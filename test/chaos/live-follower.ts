import { io, Socket } from 'socket.io-client';

import { LIVE_NAMESPACE } from '@app/contracts';
import type { ClientToServerEvents, LiveChange, ServerToClientEvents } from '@app/contracts';

import { delay } from './chaos-system';

/** A view as the live feed carries it, keyed `<kind>:<id>`. */
export type LiveState = Map<string, unknown>;

const RECONNECT_MS = 250;

export function stateKey(change: LiveChange): { key: string; view: unknown } {
  switch (change.kind) {
    case 'credential':
      return { key: `credential:${change.credential.id}`, view: change.credential };
    case 'task_run':
      return { key: `task_run:${change.task_run.id}`, view: change.task_run };
    case 'interaction':
      return { key: `interaction:${change.interaction.id}`, view: change.interaction };
  }
}

/**
 * An operator's /live socket as the dashboard keeps it: after any drop (its
 * own, or the api killed under it) it connects again with `last_seq`, and
 * keeps every change once, in order, to rebuild the state from.
 */
export class LiveFollower {
  /** Every change taken, in seq order. */
  readonly changes: LiveChange[] = [];
  /** A change whose seq was already taken (replayed twice). */
  repeats = 0;
  /** Where the seq jumped: the first missing and the one that came instead. */
  readonly gaps: { expected: number; got: number }[] = [];
  readonly resyncs: number[] = [];
  connections = 0;
  drops = 0;
  private lastSeq: number | null = null;
  private socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;
  private stopped = false;
  private loop: Promise<void> = Promise.resolve();

  constructor(
    private readonly baseUrl: string,
    private readonly cookie: string,
  ) {}

  start(): void {
    this.loop = this.follow();
  }

  /** The newest seq taken (or the position the api first gave). */
  get position(): number | null {
    return this.lastSeq;
  }

  get connected(): boolean {
    return this.socket?.connected ?? false;
  }

  /** Drops the connection as a network would; the follower comes back by itself. */
  drop(): void {
    this.drops++;
    this.socket?.disconnect();
  }

  /** The state folded from every change taken: the newest view of each object. */
  state(): LiveState {
    const state: LiveState = new Map();
    for (const change of this.changes) {
      const { key, view } = stateKey(change);
      state.set(key, view);
    }
    return state;
  }

  async close(): Promise<void> {
    this.stopped = true;
    this.socket?.disconnect();
    await this.loop;
  }

  private async follow(): Promise<void> {
    while (!this.stopped) {
      await this.session();
      if (!this.stopped) {
        await delay(RECONNECT_MS);
      }
    }
  }

  /** One connection, from the handshake until it drops. */
  private session(): Promise<void> {
    return new Promise((resolve) => {
      const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(`${this.baseUrl}${LIVE_NAMESPACE}`, {
        transports: ['websocket'],
        forceNew: true,
        reconnection: false,
        extraHeaders: { Origin: this.baseUrl, Cookie: this.cookie },
        auth: this.lastSeq === null ? {} : { last_seq: this.lastSeq },
      });
      this.socket = socket;
      const end = () => {
        socket.removeAllListeners();
        socket.disconnect();
        resolve();
      };
      socket.on('connect', () => this.connections++);
      socket.on('position', ({ seq }) => {
        this.lastSeq ??= seq;
      });
      socket.on('change', (change) => this.take(change));
      socket.on('resync', ({ seq }) => {
        // Too much missed to replay: a page would reload over REST; the verdict shows what differs.
        this.resyncs.push(seq);
        this.lastSeq = seq;
      });
      socket.on('connect_error', end);
      socket.on('disconnect', end);
      if (this.stopped) {
        end();
      }
    });
  }

  private take(change: LiveChange): void {
    if (this.lastSeq !== null && change.seq <= this.lastSeq) {
      this.repeats++;
      return;
    }
    if (this.lastSeq !== null && change.seq !== this.lastSeq + 1) {
      this.gaps.push({ expected: this.lastSeq + 1, got: change.seq });
    }
    this.changes.push(change);
    this.lastSeq = change.seq;
  }
}
