import { Logger, OnModuleDestroy } from '@nestjs/common';
import { OnGatewayConnection, OnGatewayInit, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';

import { LIVE_NAMESPACE, LiveChange } from '@app/contracts';

import { canSee, LiveNamespace, LiveSocket, OPERATORS_ROOM, roomOf, RoutedChange } from './live-audience';
import { LiveFeed } from './live-feed';
import { LiveHandshakeAuth, LiveRefusal } from './live-handshake';
import { LiveService } from './live.service';

/** A reconnecting client gets at most this many missed changes; beyond it, a `resync` (refetch over REST). */
export const REPLAY_LIMIT = 500;
/** How often open sockets are re-checked against their session or link. */
export const RECHECK_INTERVAL_MS = 60_000;

/**
 * Live updates on `/live`. Authentication happens once, in the namespace
 * middleware, before the socket is connected; operators join one room, an end
 * user the room of its external_id. Every change carries its seq: a client that
 * reconnects with `last_seq` first gets what it missed from the change log,
 * then live changes, with no gap and no duplicate between the two.
 */
@WebSocketGateway({
  namespace: LIVE_NAMESPACE,
  serveClient: false,
  // Clients only send pings; a large frame is not one of ours.
  maxHttpBufferSize: 16 * 1024,
})
export class LiveGateway implements OnGatewayInit<LiveNamespace>, OnGatewayConnection<LiveSocket>, OnModuleDestroy {
  private readonly logger = new Logger(LiveGateway.name);
  @WebSocketServer() private readonly server!: LiveNamespace;
  private stopFeed: (() => void) | null = null;
  private recheckTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly feed: LiveFeed,
    private readonly live: LiveService,
    private readonly handshake: LiveHandshakeAuth,
  ) {}

  afterInit(server: LiveNamespace): void {
    server.use((socket, next) => {
      this.handshake.admit(socket.handshake).then(
        (data) => {
          socket.data = data;
          next();
        },
        (error: unknown) => {
          if (!(error instanceof LiveRefusal)) {
            this.logger.warn(`Live handshake failed: ${error instanceof Error ? error.message : 'unknown'}`);
          }
          next(error instanceof LiveRefusal ? error : new LiveRefusal('unavailable', 'unavailable'));
        },
      );
    });
    this.stopFeed = this.feed.subscribe((routed) => this.broadcast(server, routed));
    this.recheckTimer = setInterval(() => void this.recheck(), RECHECK_INTERVAL_MS);
    this.recheckTimer.unref();
  }

  onModuleDestroy(): void {
    this.stopFeed?.();
    if (this.recheckTimer) {
      clearInterval(this.recheckTimer);
    }
  }

  async handleConnection(socket: LiveSocket): Promise<void> {
    socket.on('ping', (ack) => {
      if (typeof ack === 'function') {
        this.live.newestSeq().then(
          (seq) => ack({ seq }),
          () => undefined,
        );
      }
    });
    await this.catchUp(socket);
  }

  /** Disconnects sockets whose session was logged out or expired, or whose link expired, since they connected. */
  async recheck(): Promise<void> {
    for (const socket of [...this.server.sockets.values()]) {
      try {
        if (!(await this.handshake.stillValid(socket.data))) {
          socket.disconnect(true);
        }
      } catch {
        // Checked again next round.
      }
    }
  }

  /**
   * To the operators' room and the change's end-user room, socket by socket:
   * a socket that just replayed its backlog skips changes the backlog held
   * (a change can be committed, replayed, and only then published).
   */
  private broadcast(server: LiveNamespace, routed: RoutedChange): void {
    const rooms = [OPERATORS_ROOM];
    if (routed.externalId !== null) {
      rooms.push(roomOf({ kind: 'end_user', externalId: routed.externalId }));
    }
    for (const room of rooms) {
      for (const id of server.adapter.rooms.get(room) ?? []) {
        const socket = server.sockets.get(id);
        if (socket && routed.change.seq > socket.data.floor) {
          socket.emit('change', routed.change);
        }
      }
    }
  }

  /**
   * Holds the live changes this socket may see while the backlog is read,
   * sends the backlog (or a resync; a new client, its position), then the held changes it did not already
   * contain, and joins the room in the same tick, so nothing published in
   * between is lost; the floor keeps anything the backlog held from coming twice.
   */
  private async catchUp(socket: LiveSocket): Promise<void> {
    const { audience, lastSeq } = socket.data;
    const held: LiveChange[] = [];
    const stopHolding = this.feed.subscribe((routed) => {
      if (canSee(audience, routed)) {
        held.push(routed.change);
      }
    });
    try {
      // A new client (no last_seq) gets no backlog, only where the log stands, to resume from after a drop.
      const backlog =
        lastSeq === null
          ? { newest: await this.live.newestSeq(), changes: [], truncated: false }
          : await this.live.backlog(audience, lastSeq, REPLAY_LIMIT);
      if (socket.disconnected) {
        return;
      }
      if (lastSeq === null) {
        socket.emit('position', { seq: backlog.newest });
      } else if (backlog.truncated || lastSeq > backlog.newest) {
        socket.emit('resync', { seq: backlog.newest });
      } else {
        for (const change of backlog.changes) {
          socket.emit('change', change);
        }
      }
      socket.data.floor = backlog.newest;
      for (const change of held.filter((c) => c.seq > backlog.newest).sort((a, b) => a.seq - b.seq)) {
        socket.emit('change', change);
      }
      void socket.join(roomOf(audience));
    } catch (error: unknown) {
      this.logger.warn(`Live catch-up failed: ${error instanceof Error ? error.message : 'unknown'}`);
      socket.disconnect(true);
    } finally {
      stopHolding();
    }
  }
}
