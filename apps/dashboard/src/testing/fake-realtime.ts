import { Provider, signal } from '@angular/core';
import { Subject } from 'rxjs';

import type { CredentialView, LiveChange } from '@app/contracts';

import { LiveStatus, RealtimeService } from '../app/core/realtime/realtime.service';

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

/** A live change before the feed numbers it. */
export type UnnumberedChange = DistributiveOmit<LiveChange, 'seq'>;

/**
 * A stand-in for RealtimeService: the spec sends the changes and refetches
 * and sets the connection status; nothing connects. Test code only.
 */
export class FakeRealtime {
  readonly changes = new Subject<LiveChange>();
  readonly refetch = new Subject<void>();
  readonly changes$ = this.changes.asObservable();
  readonly refetch$ = this.refetch.asObservable();
  readonly status = signal<LiveStatus>('live');
  /** `{ provide: RealtimeService, useValue: this }`, for TestBed's providers. */
  readonly provider: Provider = { provide: RealtimeService, useValue: this };
  private seq = 0;

  /** Sends a change as the next one in sequence. */
  send(change: UnnumberedChange): void {
    this.seq += 1;
    this.changes.next({ ...change, seq: this.seq });
  }

  /** Sends each credential as a changed credential, in order. */
  sendCredentials(...credentials: CredentialView[]): void {
    for (const credential of credentials) {
      this.send({ kind: 'credential', credential_id: credential.id, credential });
    }
  }

  connectWithLink(_token: string): void {
    // Nothing to connect to; specs spy on it.
  }

  disconnect(): void {
    // Nothing to disconnect; specs spy on it.
  }
}

export function fakeRealtime(): FakeRealtime {
  return new FakeRealtime();
}
