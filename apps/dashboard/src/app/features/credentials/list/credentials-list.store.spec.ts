import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, TestRequest } from '@angular/common/http/testing';
import { provideZonelessChangeDetection, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Subject } from 'rxjs';

import type { CredentialList, CredentialView, LiveChange } from '@app/contracts';
import type { CredentialStatus } from '@app/deck';

import { RealtimeService } from '../../../core/realtime/realtime.service';
import { COUNTS_REFRESH_MS, CredentialsListStore, HIGHLIGHT_MS } from './credentials-list.store';
import { CredentialsViewQuery, parseViewQuery } from './credentials-view-query';
import { FRAME_SCHEDULER } from '../../../core/realtime/frame-batch';

const T0 = '2026-11-30T10:00:00.000Z';
const T1 = '2026-11-30T10:05:00.000Z';
const T2 = '2026-11-30T10:10:00.000Z';
const T3 = '2026-11-30T10:15:00.000Z';

function credential(id: string, overrides: Partial<CredentialView> = {}): CredentialView {
  return {
    id,
    deck_id: `cred_${id}`,
    source_id: 'src_bank',
    external_id: `user_${id}`,
    auth_method: 'username_password',
    username_hint: 'us***',
    status: 'unverified',
    last_error: null,
    status_changed_at: T0,
    created_at: T0,
    updated_at: T1,
    ...overrides,
  };
}

function counts(partial: Partial<Record<CredentialStatus, number>>): Record<CredentialStatus, number> {
  return { unverified: 0, verified: 0, invalid: 0, deleted: 0, ...partial };
}

function list(data: CredentialView[], byStatus: Record<CredentialStatus, number>): CredentialList {
  return { data, has_more: false, next_cursor: null, counts: byStatus };
}

describe(CredentialsListStore.name, () => {
  let store: CredentialsListStore;
  let http: HttpTestingController;
  let changes: Subject<LiveChange>;
  let refetch: Subject<void>;
  /** Frames wait here until the test lets them run, as requestAnimationFrame would. */
  let frames: (() => void)[];
  let seq: number;

  function push(...credentials: CredentialView[]): void {
    for (const c of credentials) {
      seq += 1;
      changes.next({ seq, kind: 'credential', credential_id: c.id, credential: c });
    }
  }

  function runFrame(): void {
    const due = frames;
    frames = [];
    due.forEach((flush) => flush());
  }

  function expectPage(): TestRequest {
    return http.expectOne((r) => r.url === '/api/credentials' && r.params.get('limit') !== '1');
  }

  function open(query: Partial<CredentialsViewQuery> = {}): void {
    store.open({ ...parseViewQuery({}), ...query });
  }

  beforeEach(() => {
    changes = new Subject<LiveChange>();
    refetch = new Subject<void>();
    frames = [];
    seq = 0;
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideHttpClient(),
        provideHttpClientTesting(),
        CredentialsListStore,
        {
          provide: RealtimeService,
          useValue: { changes$: changes.asObservable(), refetch$: refetch.asObservable(), status: signal('live') },
        },
        { provide: FRAME_SCHEDULER, useValue: (flush: () => void) => frames.push(flush) },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    store = TestBed.inject(CredentialsListStore);
    http.expectOne('/api/sources').flush([{ id: 'src_bank', name: 'Example Bank', url: 'https://bank.example' }]);
  });

  afterEach(() => {
    http.verify();
    jest.useRealTimers();
  });

  it('should apply a frame of changes at once, the newest snapshot of each credential', () => {
    open();
    expectPage().flush(list([credential('a'), credential('b')], counts({ unverified: 2 })));
    const rowsBefore = store.rows();

    push(
      credential('a', { status: 'verified', updated_at: T2 }),
      credential('a', { status: 'invalid', updated_at: T3 }),
    );
    expect(store.rows()).toBe(rowsBefore); // nothing until the frame runs

    runFrame();
    expect(store.rows().map((r) => r.status)).toEqual(['invalid', 'unverified']);
    expect(store.rows()[1]).toBe(rowsBefore[1]); // untouched rows keep their identity
    expect(store.counts()).toEqual(counts({ unverified: 1, invalid: 1 }));
    expect([...store.highlighted().keys()]).toEqual(['a']);
  });

  it('should forget the highlight after a moment', () => {
    jest.useFakeTimers();
    open();
    expectPage().flush(list([credential('a')], counts({ unverified: 1 })));

    push(credential('a', { status: 'verified', updated_at: T2 }));
    runFrame();
    expect(store.highlighted().has('a')).toBe(true);

    jest.advanceTimersByTime(HIGHLIGHT_MS);
    expect(store.highlighted().has('a')).toBe(false);
  });

  it('should move the counts for a credential it saw change earlier, though not on the page', () => {
    open({ status: 'verified' });
    expectPage().flush(list([], counts({ unverified: 1, verified: 0 })));

    push(credential('x', { created_at: T1, updated_at: T1 })); // a new one: unverified
    runFrame();
    expect(store.counts()).toEqual(counts({ unverified: 2 }));
    expect(store.newCount()).toBe(0); // not in the "verified" tab

    push(credential('x', { status: 'verified', updated_at: T2 }));
    runFrame();
    expect(store.counts()).toEqual(counts({ unverified: 1, verified: 1 }));
    expect(store.rows()).toEqual([]); // still not inserted
  });

  it('should ask the api for the counts when a credential it never saw changes', () => {
    jest.useFakeTimers();
    open();
    expectPage().flush(list([credential('a')], counts({ unverified: 1, verified: 4 })));

    push(credential('elsewhere', { status: 'invalid', updated_at: T2 }));
    runFrame();
    expect(store.counts()).toEqual(counts({ unverified: 1, verified: 4 })); // unknown: from which status?
    http.expectNone((r) => r.url === '/api/credentials');

    jest.advanceTimersByTime(COUNTS_REFRESH_MS);
    const request = http.expectOne((r) => r.url === '/api/credentials' && r.params.get('limit') === '1');
    expect(request.request.params.has('status')).toBe(false);
    request.flush(list([], counts({ unverified: 1, verified: 3, invalid: 1 })));

    expect(store.counts()).toEqual(counts({ unverified: 1, verified: 3, invalid: 1 }));
    expect(store.rows().map((r) => r.id)).toEqual(['a']);
  });

  it('should keep a change that arrived while the page was loading when the page is older', () => {
    open();
    push(credential('a', { status: 'verified', updated_at: T3 }));
    runFrame();
    expectPage().flush(list([credential('a', { updated_at: T1 })], counts({ unverified: 1 })));

    expect(store.rows()[0].status).toBe('verified');
    expect(store.counts()).toEqual(counts({ verified: 1 }));
  });

  it('should count a new credential only under the filters the counts describe', () => {
    open({ sourceId: 'src_bank', q: 'ali' });
    expectPage().flush(list([], counts({})));

    push(
      credential('n1', { external_id: 'alice', created_at: T2, updated_at: T2 }),
      credential('n2', { external_id: 'ALIBI', created_at: T2, updated_at: T2, source_id: 'src_other' }),
      credential('n3', { external_id: 'bob', username_hint: 'ali***', created_at: T2, updated_at: T2 }),
    );
    runFrame();

    expect(store.counts()).toEqual(counts({ unverified: 2 }));
    expect(store.newCount()).toBe(2);
  });

  it('should announce a credential created and changed within one frame (a replay after a reconnect) once', () => {
    open();
    expectPage().flush(list([credential('a')], counts({ unverified: 1 })));

    push(
      credential('n', { created_at: T2, updated_at: T2 }),
      credential('n', { created_at: T2, status: 'verified', updated_at: T3 }),
    );
    runFrame();

    expect(store.newCount()).toBe(1);
    expect(store.counts()).toEqual(counts({ unverified: 1, verified: 1 }));
    expect(store.rows().map((r) => r.id)).toEqual(['a']);
  });

  it('should reload quietly on a refetch, keeping the rows until the page arrives', () => {
    open({ status: 'invalid' });
    expectPage().flush(list([credential('a', { status: 'invalid' })], counts({ invalid: 1 })));

    refetch.next();
    expect(store.loading()).toBe(false);
    expect(store.refreshing()).toBe(true);
    expect(store.rows().map((r) => r.id)).toEqual(['a']);
    const request = expectPage();
    expect(request.request.params.get('status')).toBe('invalid');
    request.flush(list([credential('b', { status: 'invalid' })], counts({ invalid: 1 })));

    expect(store.refreshing()).toBe(false);
    expect(store.rows().map((r) => r.id)).toEqual(['b']);
  });

  it('should show a skeleton for a new view, and drop the answer of a view left behind', () => {
    open({ status: 'verified' });
    const first = expectPage();
    open({ status: 'invalid' });
    expect(first.cancelled).toBe(true);
    expect(store.loading()).toBe(true);
    expectPage().flush(list([credential('i', { status: 'invalid' })], counts({ invalid: 1 })));

    expect(store.loading()).toBe(false);
    expect(store.rows().map((r) => r.id)).toEqual(['i']);
  });
});
