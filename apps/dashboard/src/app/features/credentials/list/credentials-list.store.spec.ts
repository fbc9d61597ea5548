import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, TestRequest } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';

import { FRAME_SCHEDULER } from '../../../core/realtime/frame-batch';
import { listed, T1, T2, T3 } from '../../../../testing/credentials-list';
import { FakeRealtime, fakeRealtime } from '../../../../testing/fake-realtime';
import { aCredentialList, EXAMPLE_BANK, statusCounts } from '../../../../testing/views';
import { COUNTS_REFRESH_MS, CredentialsListStore, HIGHLIGHT_MS } from './credentials-list.store';
import { CredentialsViewQuery, parseViewQuery } from './credentials-view-query';

describe(CredentialsListStore.name, () => {
  let store: CredentialsListStore;
  let http: HttpTestingController;
  let realtime: FakeRealtime;
  /** Frames wait here until the test lets them run, as requestAnimationFrame would. */
  let frames: (() => void)[];

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
    realtime = fakeRealtime();
    frames = [];
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideHttpClient(),
        provideHttpClientTesting(),
        CredentialsListStore,
        realtime.provider,
        { provide: FRAME_SCHEDULER, useValue: (flush: () => void) => frames.push(flush) },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    store = TestBed.inject(CredentialsListStore);
    http.expectOne('/api/sources').flush([EXAMPLE_BANK]);
  });

  afterEach(() => {
    http.verify();
    jest.useRealTimers();
  });

  it('should apply a frame of changes at once, the newest snapshot of each credential', () => {
    open();
    expectPage().flush(aCredentialList([listed('a'), listed('b')], statusCounts({ unverified: 2 })));
    const rowsBefore = store.rows();

    realtime.sendCredentials(
      listed('a', { status: 'verified', updated_at: T2 }),
      listed('a', { status: 'invalid', updated_at: T3 }),
    );
    expect(store.rows()).toBe(rowsBefore); // nothing until the frame runs

    runFrame();
    expect(store.rows().map((r) => r.status)).toEqual(['invalid', 'unverified']);
    expect(store.rows()[1]).toBe(rowsBefore[1]); // untouched rows keep their identity
    expect(store.counts()).toEqual(statusCounts({ unverified: 1, invalid: 1 }));
    expect([...store.highlighted().keys()]).toEqual(['a']);
  });

  it('should forget the highlight after a moment', () => {
    jest.useFakeTimers();
    open();
    expectPage().flush(aCredentialList([listed('a')], statusCounts({ unverified: 1 })));

    realtime.sendCredentials(listed('a', { status: 'verified', updated_at: T2 }));
    runFrame();
    expect(store.highlighted().has('a')).toBe(true);

    jest.advanceTimersByTime(HIGHLIGHT_MS);
    expect(store.highlighted().has('a')).toBe(false);
  });

  it('should move the counts for a credential it saw change earlier, though not on the page', () => {
    open({ status: 'verified' });
    expectPage().flush(aCredentialList([], statusCounts({ unverified: 1, verified: 0 })));

    realtime.sendCredentials(listed('x', { created_at: T1, updated_at: T1 })); // a new one: unverified
    runFrame();
    expect(store.counts()).toEqual(statusCounts({ unverified: 2 }));
    expect(store.newCount()).toBe(0); // not in the "verified" tab

    realtime.sendCredentials(listed('x', { status: 'verified', updated_at: T2 }));
    runFrame();
    expect(store.counts()).toEqual(statusCounts({ unverified: 1, verified: 1 }));
    expect(store.rows()).toEqual([]); // still not inserted
  });

  it('should ask the api for the counts when a credential it never saw changes', () => {
    jest.useFakeTimers();
    open();
    expectPage().flush(aCredentialList([listed('a')], statusCounts({ unverified: 1, verified: 4 })));

    realtime.sendCredentials(listed('elsewhere', { status: 'invalid', updated_at: T2 }));
    runFrame();
    expect(store.counts()).toEqual(statusCounts({ unverified: 1, verified: 4 })); // unknown: from which status?
    http.expectNone((r) => r.url === '/api/credentials');

    jest.advanceTimersByTime(COUNTS_REFRESH_MS);
    const request = http.expectOne((r) => r.url === '/api/credentials' && r.params.get('limit') === '1');
    expect(request.request.params.has('status')).toBe(false);
    request.flush(aCredentialList([], statusCounts({ unverified: 1, verified: 3, invalid: 1 })));

    expect(store.counts()).toEqual(statusCounts({ unverified: 1, verified: 3, invalid: 1 }));
    expect(store.rows().map((r) => r.id)).toEqual(['a']);
  });

  it('should keep a change that arrived while the page was loading when the page is older', () => {
    open();
    realtime.sendCredentials(listed('a', { status: 'verified', updated_at: T3 }));
    runFrame();
    expectPage().flush(aCredentialList([listed('a', { updated_at: T1 })], statusCounts({ unverified: 1 })));

    expect(store.rows()[0].status).toBe('verified');
    expect(store.counts()).toEqual(statusCounts({ verified: 1 }));
  });

  it('should count a new credential only under the filters the counts describe', () => {
    open({ sourceId: 'src_bank', q: 'ali' });
    expectPage().flush(aCredentialList([], statusCounts({})));

    realtime.sendCredentials(
      listed('n1', { external_id: 'alice', created_at: T2, updated_at: T2 }),
      listed('n2', { external_id: 'ALIBI', created_at: T2, updated_at: T2, source_id: 'src_other' }),
      listed('n3', { external_id: 'bob', username_hint: 'ali***', created_at: T2, updated_at: T2 }),
    );
    runFrame();

    expect(store.counts()).toEqual(statusCounts({ unverified: 2 }));
    expect(store.newCount()).toBe(2);
  });

  it('should announce a credential created and changed within one frame (a replay after a reconnect) once', () => {
    open();
    expectPage().flush(aCredentialList([listed('a')], statusCounts({ unverified: 1 })));

    realtime.sendCredentials(
      listed('n', { created_at: T2, updated_at: T2 }),
      listed('n', { created_at: T2, status: 'verified', updated_at: T3 }),
    );
    runFrame();

    expect(store.newCount()).toBe(1);
    expect(store.counts()).toEqual(statusCounts({ unverified: 1, verified: 1 }));
    expect(store.rows().map((r) => r.id)).toEqual(['a']);
  });

  it('should reload quietly on a refetch, keeping the rows until the page arrives', () => {
    open({ status: 'invalid' });
    expectPage().flush(aCredentialList([listed('a', { status: 'invalid' })], statusCounts({ invalid: 1 })));

    realtime.refetch.next();
    expect(store.loading()).toBe(false);
    expect(store.refreshing()).toBe(true);
    expect(store.rows().map((r) => r.id)).toEqual(['a']);
    const request = expectPage();
    expect(request.request.params.get('status')).toBe('invalid');
    request.flush(aCredentialList([listed('b', { status: 'invalid' })], statusCounts({ invalid: 1 })));

    expect(store.refreshing()).toBe(false);
    expect(store.rows().map((r) => r.id)).toEqual(['b']);
  });

  it('should show a skeleton for a new view, and drop the answer of a view left behind', () => {
    open({ status: 'verified' });
    const first = expectPage();
    open({ status: 'invalid' });
    expect(first.cancelled).toBe(true);
    expect(store.loading()).toBe(true);
    expectPage().flush(aCredentialList([listed('i', { status: 'invalid' })], statusCounts({ invalid: 1 })));

    expect(store.loading()).toBe(false);
    expect(store.rows().map((r) => r.id)).toEqual(['i']);
  });
});
