import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { provideHttpClient } from '@angular/common/http';

import type { CredentialView, LiveChange, LiveHandshake } from '@app/contracts';

import { LIVE_SOCKET_FACTORY, LiveSocket } from './live-socket';
import { RealtimeService } from './realtime.service';

type Handler = (...args: unknown[]) => void;

/** A socket.io client whose server side the test plays: connections, drops, and what the api sends. */
class ScriptedSocket {
  active = true;
  readonly handshakes: LiveHandshake[] = [];
  private readonly handlers = new Map<string, Handler[]>();

  constructor(private readonly auth: (send: (data: LiveHandshake) => void) => void) {}

  on(event: string, handler: Handler): this {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler]);
    return this;
  }

  connect(): this {
    return this;
  }

  disconnect(): this {
    this.active = false;
    this.fire('disconnect', 'io client disconnect');
    return this;
  }

  /** The api accepts the (re)connection, having read the handshake. */
  accept(): void {
    this.auth((data) => this.handshakes.push(data));
    this.fire('connect');
  }

  /** The connection drops; socket.io keeps trying. */
  drop(): void {
    this.fire('disconnect', 'transport close');
  }

  send(event: 'change' | 'resync' | 'position', payload: unknown): void {
    this.fire(event, payload);
  }

  private fire(event: string, ...args: unknown[]): void {
    for (const handler of this.handlers.get(event) ?? []) {
      handler(...args);
    }
  }
}

function credentialChange(seq: number, status: CredentialView['status'] = 'verified'): LiveChange {
  return {
    seq,
    kind: 'credential',
    credential_id: 'c1',
    credential: { id: 'c1', status } as CredentialView,
  };
}

describe(RealtimeService.name, () => {
  let socket: ScriptedSocket;
  let sut: RealtimeService;
  let received: number[];
  let refetches: number;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideRouter([]),
        provideHttpClient(),
        {
          provide: LIVE_SOCKET_FACTORY,
          useValue: (_url: string, options: { auth: (send: (data: LiveHandshake) => void) => void }) => {
            socket = new ScriptedSocket(options.auth);
            return socket as unknown as LiveSocket;
          },
        },
      ],
    });
    sut = TestBed.inject(RealtimeService);
    received = [];
    refetches = 0;
    sut.changes$.subscribe((change) => received.push(change.seq));
    sut.refetch$.subscribe(() => (refetches += 1));
  });

  it('should say live once connected and ask pages to load fresh on a first connection', () => {
    sut.connectAsOperator();
    expect(sut.status()).toBe('connecting');

    socket.accept();

    expect(sut.status()).toBe('live');
    expect(socket.handshakes).toEqual([{}]);
    expect(refetches).toBe(1);
  });

  it('should reconnect from the last seq and pass on the replay without repeating what it had', () => {
    sut.connectAsOperator();
    socket.accept();
    socket.send('change', credentialChange(10));
    socket.send('change', credentialChange(11));

    socket.drop();
    expect(sut.status()).toBe('reconnecting');
    socket.accept();
    // The api replays from last_seq; live changes may overlap the replay.
    socket.send('change', credentialChange(11));
    socket.send('change', credentialChange(12));
    socket.send('change', credentialChange(12));
    socket.send('change', credentialChange(13));

    expect(socket.handshakes[1]).toEqual({ last_seq: 11 });
    expect(received).toEqual([10, 11, 12, 13]);
    expect(refetches).toBe(1);
    expect(sut.status()).toBe('live');
  });

  it('should ask pages to refetch on resync and continue from its seq', () => {
    sut.connectAsOperator();
    socket.accept();
    socket.send('change', credentialChange(3));
    socket.drop();
    socket.accept();

    socket.send('resync', { seq: 900 });
    socket.send('change', credentialChange(899));
    socket.send('change', credentialChange(901));
    socket.drop();
    socket.accept();

    expect(refetches).toBe(2);
    expect(received).toEqual([3, 901]);
    expect(socket.handshakes[2]).toEqual({ last_seq: 901 });
  });

  it('should refetch after a reconnect when neither a change nor the position had arrived', () => {
    sut.connectAsOperator();
    socket.accept();
    socket.drop();
    socket.accept();

    expect(socket.handshakes).toEqual([{}, {}]);
    expect(refetches).toBe(2);
  });

  it('should resume from the position the api gave when it dropped before any change arrived', () => {
    sut.connectAsOperator();
    socket.accept();
    socket.send('position', { seq: 40 });
    socket.drop();
    socket.accept();
    socket.send('change', credentialChange(40));
    socket.send('change', credentialChange(41));

    expect(socket.handshakes[1]).toEqual({ last_seq: 40 });
    expect(received).toEqual([41]);
    expect(refetches).toBe(1);
  });

  it('should send a connect page link token in the handshake, never in the URL', () => {
    sut.connectWithLink('tok_abc');
    socket.accept();

    expect(socket.handshakes).toEqual([{ link_token: 'tok_abc' }]);
  });

  it('should say offline when the browser loses the network', () => {
    sut.connectAsOperator();
    socket.accept();

    window.dispatchEvent(new Event('offline'));

    expect(sut.status()).toBe('offline');
  });
});
