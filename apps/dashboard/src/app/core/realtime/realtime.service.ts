import { DOCUMENT, inject, Injectable, OnDestroy, signal } from '@angular/core';
import { Observable, Subject } from 'rxjs';

import { LIVE_NAMESPACE } from '@app/contracts';
import type { LiveChange } from '@app/contracts';

import { SessionService } from '../auth/session.service';
import { LiveSequence } from './live-sequence';
import { LIVE_SOCKET_FACTORY, LiveSocket } from './live-socket';

/** live: connected; reconnecting: lost, trying again; offline: not trying (refused, or the browser is offline). */
export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

/**
 * The one socket.io connection to the api's `/live` feed. Pages read its
 * typed streams; none of them touches socket.io. Changes come out once each,
 * in order, across reconnects; `refetch$` says when a page must reload over
 * REST because the feed alone cannot bring it up to date.
 */
@Injectable({ providedIn: 'root' })
export class RealtimeService implements OnDestroy {
  readonly status = signal<LiveStatus>('offline');

  private readonly session = inject(SessionService);
  private readonly openSocket = inject(LIVE_SOCKET_FACTORY);
  private readonly window = inject(DOCUMENT).defaultView;
  private readonly changesSubject = new Subject<LiveChange>();
  private readonly refetchSubject = new Subject<void>();
  private readonly sequence = new LiveSequence();
  private socket: LiveSocket | null = null;
  private linkToken: string | null = null;
  // The browser knows before socket.io does: say offline at once, reconnect as soon as the network is back.
  private readonly wentOffline = () => this.socket && this.status.set('offline');
  private readonly cameOnline = () => this.socket && this.status() !== 'live' && this.reconnect();

  /** Every change, once, in `seq` order. */
  readonly changes$: Observable<LiveChange> = this.changesSubject.asObservable();
  /** Data loaded before now may be stale: load it again. */
  readonly refetch$: Observable<void> = this.refetchSubject.asObservable();

  /** Operators: the session cookie authenticates. */
  connectAsOperator(): void {
    this.open(null);
  }

  /** A connect page: its link token authenticates, and only its end user's changes arrive. */
  connectWithLink(token: string): void {
    this.open(token);
  }

  /** Drops the connection and tries again at once (the indicator's "reconnect now"). */
  reconnect(): void {
    if (this.socket) {
      this.socket.disconnect();
      this.status.set('connecting');
      this.socket.connect();
    }
  }

  disconnect(): void {
    this.socket?.disconnect();
    this.socket = null;
    this.status.set('offline');
    this.window?.removeEventListener('offline', this.wentOffline);
    this.window?.removeEventListener('online', this.cameOnline);
  }

  ngOnDestroy(): void {
    this.disconnect();
  }

  private open(linkToken: string | null): void {
    if (this.socket && this.linkToken === linkToken) {
      return;
    }
    this.disconnect();
    this.linkToken = linkToken;
    this.status.set('connecting');
    this.window?.addEventListener('offline', this.wentOffline);
    this.window?.addEventListener('online', this.cameOnline);
    const socket = this.openSocket(LIVE_NAMESPACE, {
      transports: ['websocket'],
      withCredentials: true,
      // Called on every (re)connection, so the api always gets the newest position.
      auth: (send) => send({ ...this.sequence.handshake(), ...(linkToken ? { link_token: linkToken } : {}) }),
    });
    socket.on('connect', () => {
      this.status.set('live');
      if (this.sequence.connected() === 'refetch') {
        this.refetchSubject.next();
      }
    });
    socket.on('disconnect', () => this.status.set(socket.active ? 'reconnecting' : 'offline'));
    socket.on('connect_error', (error: Error & { data?: { code?: string } }) => {
      if (socket.active) {
        this.status.set('reconnecting');
        return;
      }
      this.status.set('offline');
      if (error.data?.code === 'unauthenticated' && linkToken === null) {
        this.session.expired();
      }
    });
    socket.on('change', (change) => {
      if (this.sequence.accept(change)) {
        this.changesSubject.next(change);
      }
    });
    socket.on('position', ({ seq }) => this.sequence.position(seq));
    socket.on('resync', ({ seq }) => {
      this.sequence.resync(seq);
      this.refetchSubject.next();
    });
    this.socket = socket;
  }
}
