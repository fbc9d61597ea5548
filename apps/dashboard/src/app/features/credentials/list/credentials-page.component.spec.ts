import { HttpTestingController, TestRequest } from '@angular/common/http/testing';
import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';

import type { LinkView, Role } from '@app/contracts';

import { SessionService } from '../../../core/auth/session.service';
import { ConsoleInfoService } from '../../../core/console/console-info.service';
import { FRAME_SCHEDULER } from '../../../core/realtime/frame-batch';
import { listed, T1, T2 } from '../../../../testing/credentials-list';
import { FakeRealtime, fakeRealtime } from '../../../../testing/fake-realtime';
import { providePageTesting } from '../../../../testing/page-testing';
import { aCredentialList, anOperator, EXAMPLE_BANK, statusCounts } from '../../../../testing/views';
import { CredentialsChartsComponent } from './credentials-charts.component';
import { CredentialsPageComponent, SEARCH_DEBOUNCE_MS } from './credentials-page.component';

/** The charts have their own spec; here they would only add requests and a canvas jsdom cannot draw. */
@Component({ selector: 'dh-credentials-charts', template: '', changeDetection: ChangeDetectionStrategy.OnPush })
class ChartsStubComponent {}

@Component({ template: 'detail', changeDetection: ChangeDetectionStrategy.OnPush })
class DetailStubComponent {}

describe(CredentialsPageComponent.name, () => {
  let harness: RouterTestingHarness;
  let http: HttpTestingController;
  let realtime: FakeRealtime;
  let sandbox: boolean;

  function setRole(role: Role | null): void {
    TestBed.inject(SessionService).operator.set(role ? anOperator({ role }) : null);
  }

  async function open(url: string, role: Role = 'operator'): Promise<void> {
    harness = await RouterTestingHarness.create();
    setRole(role);
    await harness.navigateByUrl(url);
    http.expectOne('/api/sources').flush([EXAMPLE_BANK]);
  }

  function expectPage(check: (request: TestRequest['request']) => boolean = () => true): TestRequest {
    return http.expectOne((r) => r.url === '/api/credentials' && r.params.get('limit') !== '1' && check(r));
  }

  async function settle(): Promise<void> {
    await harness.fixture.whenStable();
    harness.fixture.detectChanges();
  }

  function root(): HTMLElement {
    return harness.routeNativeElement as HTMLElement;
  }

  function all(selector: string): HTMLElement[] {
    return Array.from(root().querySelectorAll<HTMLElement>(selector));
  }

  function one(selector: string): HTMLElement | null {
    return root().querySelector<HTMLElement>(selector);
  }

  function row(id: string): HTMLElement | null {
    return one(`[data-testid="credential-row"][data-id="${id}"]`);
  }

  function tabCount(status: string): string {
    return (
      one(`[data-testid="status-tab"][data-status="${status}"] [data-testid="status-count"]`)?.textContent?.trim() ?? ''
    );
  }

  beforeEach(() => {
    realtime = fakeRealtime();
    sandbox = true;
    TestBed.configureTestingModule({
      providers: [
        ...providePageTesting(
          [
            { path: 'credentials', component: CredentialsPageComponent },
            { path: 'credentials/:id', component: DetailStubComponent },
          ],
          withComponentInputBinding(),
        ),
        realtime.provider,
        { provide: FRAME_SCHEDULER, useValue: (flush: () => void) => flush() },
        {
          provide: ConsoleInfoService,
          useValue: { info: signal({ sandbox, webhook_destination_id: null }), load: () => Promise.resolve(null) },
        },
      ],
    });
    TestBed.overrideComponent(CredentialsPageComponent, {
      remove: { imports: [CredentialsChartsComponent] },
      add: { imports: [ChartsStubComponent] },
    });
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => {
    http.verify();
    jest.useRealTimers();
  });

  it('should show every credential with its source name, masked username, status, last change and last error', async () => {
    await open('/credentials');
    expectPage((r) => r.params.get('sort') === '-created_at' && r.params.get('limit') === '25').flush(
      aCredentialList(
        [
          listed('a', {
            status: 'invalid',
            username_hint: 'ma***@example.com',
            last_error: { type: 'auth', code: 'auth_invalid', message: 'Wrong password.' },
          }),
          listed('b', { source_id: 'src_unknown', external_id: null }),
        ],
        statusCounts({ unverified: 1, invalid: 1 }),
      ),
    );
    await settle();

    const first = row('a')!;
    expect(first.dataset['status']).toBe('invalid');
    expect(first.textContent).toContain('Example Bank');
    expect(first.textContent).toContain('user_a');
    expect(first.textContent).toContain('ma***@example.com');
    expect(first.querySelector('dh-status-chip')?.textContent).toContain('invalid');
    expect(first.textContent).toContain('Wrong password.');
    expect(first.querySelector('a')?.getAttribute('href')).toBe('/credentials/a');
    const second = row('b')!;
    expect(second.textContent).toContain('src_unknown'); // no name known: the id
    expect(second.textContent).toContain('—');
    expect(tabCount('all')).toBe('2');
    expect(tabCount('invalid')).toBe('1');
    expect(one('[data-testid="copy-link-button"]')).not.toBeNull();
  });

  it('should change a row on the page in place, highlight it, and move the counts', async () => {
    await open('/credentials');
    expectPage().flush(aCredentialList([listed('a'), listed('b')], statusCounts({ unverified: 2 })));
    await settle();

    realtime.sendCredentials(listed('b', { status: 'verified', status_changed_at: T2, updated_at: T2 }));
    await settle();

    const changed = row('b')!;
    expect(changed.dataset['status']).toBe('verified');
    expect(changed.querySelector('dh-status-chip')?.textContent).toContain('verified');
    expect(changed.dataset['changed']).toBe('true');
    expect(changed.className).toMatch(/flash-[ab]/);
    expect(row('a')!.dataset['changed']).toBeUndefined();
    expect(all('[data-testid="credential-row"]').map((r) => r.dataset['id'])).toEqual(['a', 'b']);
    expect(tabCount('unverified')).toBe('1');
    expect(tabCount('verified')).toBe('1');
    expect(tabCount('all')).toBe('2');
    expect(one('[data-testid="new-credentials-notice"]')).toBeNull();
  });

  it('should keep a row that left the status filter until the next load, with its new status', async () => {
    await open('/credentials?status=unverified');
    expectPage((r) => r.params.get('status') === 'unverified').flush(
      aCredentialList([listed('a')], statusCounts({ unverified: 1 })),
    );
    await settle();

    realtime.sendCredentials(listed('a', { status: 'invalid', updated_at: T2 }));
    await settle();

    expect(row('a')!.dataset['status']).toBe('invalid');
    expect(tabCount('unverified')).toBe('0');
    expect(tabCount('invalid')).toBe('1');
  });

  it('should never let an older snapshot overwrite a newer row', async () => {
    await open('/credentials');
    expectPage().flush(
      aCredentialList([listed('a', { status: 'verified', updated_at: T2 })], statusCounts({ verified: 1 })),
    );
    await settle();

    realtime.sendCredentials(listed('a', { status: 'unverified', updated_at: T1 }));
    await settle();

    expect(row('a')!.dataset['status']).toBe('verified');
    expect(row('a')!.dataset['changed']).toBeUndefined();
    expect(tabCount('verified')).toBe('1');
    expect(tabCount('unverified')).toBe('0');
  });

  it('should announce a new matching credential instead of inserting it, and show it on request', async () => {
    await open('/credentials');
    expectPage().flush(aCredentialList([listed('a')], statusCounts({ unverified: 1 })));
    await settle();

    realtime.sendCredentials(listed('n', { created_at: T2, updated_at: T2, status_changed_at: T2 }));
    await settle();

    const notice = one('[data-testid="new-credentials-notice"]')!;
    expect(notice.textContent).toContain('1 new — show');
    expect(notice.closest('[aria-live="polite"]')).not.toBeNull();
    expect(row('n')).toBeNull();
    expect(tabCount('unverified')).toBe('2');

    notice.click();
    await settle();
    expectPage((r) => !r.params.has('cursor')).flush(
      aCredentialList([listed('n', { created_at: T2, updated_at: T2 }), listed('a')], statusCounts({ unverified: 2 })),
    );
    await settle();

    expect(all('[data-testid="credential-row"]').map((r) => r.dataset['id'])).toEqual(['n', 'a']);
    expect(one('[data-testid="new-credentials-notice"]')).toBeNull();
  });

  it('should count several new credentials in one notice', async () => {
    await open('/credentials');
    expectPage().flush(aCredentialList([listed('a')]));
    await settle();

    realtime.sendCredentials(
      listed('n1', { created_at: T2, updated_at: T2 }),
      listed('n2', { created_at: T2, updated_at: T2 }),
      listed('n3', { created_at: T2, updated_at: T2 }),
    );
    await settle();

    expect(one('[data-testid="new-credentials-notice"]')!.textContent).toContain('3 new — show');
  });

  it('should not announce a new credential the filters exclude, nor count it', async () => {
    await open('/credentials?q=alice');
    expectPage((r) => r.params.get('q') === 'alice').flush(
      aCredentialList([listed('a', { external_id: 'alice' })], statusCounts({ unverified: 1 })),
    );
    await settle();

    realtime.sendCredentials(listed('n', { external_id: 'bob', created_at: T2, updated_at: T2 }));
    await settle();

    expect(one('[data-testid="new-credentials-notice"]')).toBeNull();
    expect(tabCount('unverified')).toBe('1');
  });

  it('should reload the current page quietly when the feed asks for a refetch', async () => {
    await open('/credentials?status=verified&sort=created_at');
    expectPage().flush(aCredentialList([listed('a', { status: 'verified' })], statusCounts({ verified: 1 })));
    await settle();

    realtime.refetch.next();
    await settle();

    // The rows stay while the page reloads: no skeleton flash.
    expect(row('a')).not.toBeNull();
    expect(all('[data-testid="skeleton-row"]')).toHaveLength(0);
    expectPage((r) => r.params.get('status') === 'verified' && r.params.get('sort') === 'created_at').flush(
      aCredentialList([listed('a', { status: 'invalid', updated_at: T2 })], statusCounts({ invalid: 1 })),
    );
    await settle();

    expect(row('a')!.dataset['status']).toBe('invalid');
    expect(tabCount('invalid')).toBe('1');
  });

  it('should show skeleton rows while the first page loads', async () => {
    await open('/credentials');
    await settle();

    expect(all('[data-testid="skeleton-row"]').length).toBeGreaterThan(0);
    expect(one('[data-testid="credentials-table"]')!.getAttribute('aria-busy')).toBe('true');
    expectPage().flush(aCredentialList([listed('a')]));
    await settle();
    expect(all('[data-testid="skeleton-row"]')).toHaveLength(0);
  });

  it('should read the view from the URL and send it to the api', async () => {
    await open('/credentials?status=invalid&source_id=src_bank&q=bob&sort=-status_changed_at&limit=50');

    const request = expectPage();
    expect(request.request.params.get('status')).toBe('invalid');
    expect(request.request.params.get('source_id')).toBe('src_bank');
    expect(request.request.params.get('q')).toBe('bob');
    expect(request.request.params.get('sort')).toBe('-status_changed_at');
    expect(request.request.params.get('limit')).toBe('50');
    request.flush(aCredentialList([], statusCounts({ unverified: 3 })));
    await settle();

    expect(one('[data-testid="status-tab"][data-status="invalid"]')!.getAttribute('aria-current')).toBe('page');
    expect((one('[data-testid="search-input"]') as HTMLInputElement).value).toBe('bob');
    expect(one('[data-testid="credentials-empty"]')!.textContent).toContain('No credentials match these filters.');
  });

  it('should search after typing pauses, keeping the other filters in the URL', async () => {
    await open('/credentials?status=verified');
    expectPage().flush(aCredentialList([listed('a', { status: 'verified' })], statusCounts({ verified: 1 })));
    await settle();

    jest.useFakeTimers();
    const input = one('[data-testid="search-input"]') as HTMLInputElement;
    input.value = 'ali';
    input.dispatchEvent(new Event('input'));
    input.value = 'alice';
    input.dispatchEvent(new Event('input'));
    jest.advanceTimersByTime(SEARCH_DEBOUNCE_MS - 1);
    http.expectNone((r) => r.url === '/api/credentials');
    jest.advanceTimersByTime(1);
    jest.useRealTimers();
    await settle();

    const url = TestBed.inject(Router).url;
    expect(url).toContain('status=verified');
    expect(url).toContain('q=alice');
    expectPage((r) => r.params.get('q') === 'alice' && r.params.get('status') === 'verified').flush(
      aCredentialList([]),
    );
    await settle();
  });

  it('should page forward with the cursor and back again', async () => {
    await open('/credentials');
    expectPage().flush(aCredentialList([listed('a')], statusCounts({ unverified: 30 }), 'c1'));
    await settle();
    expect((one('[data-testid="prev-page"]') as HTMLButtonElement).disabled).toBe(true);

    one('[data-testid="next-page"]')!.click();
    await settle();
    expectPage((r) => r.params.get('cursor') === 'c1').flush(
      aCredentialList([listed('b')], statusCounts({ unverified: 30 }), 'c2'),
    );
    await settle();
    expect(one('[data-testid="page-number"]')!.textContent).toContain('Page 2');

    one('[data-testid="next-page"]')!.click();
    await settle();
    expectPage((r) => r.params.get('cursor') === 'c2').flush(
      aCredentialList([listed('c')], statusCounts({ unverified: 30 })),
    );
    await settle();
    expect(TestBed.inject(Router).url).toContain('back=c1');
    expect((one('[data-testid="next-page"]') as HTMLButtonElement).disabled).toBe(true);

    one('[data-testid="prev-page"]')!.click();
    await settle();
    expectPage((r) => r.params.get('cursor') === 'c1').flush(
      aCredentialList([listed('b')], statusCounts({ unverified: 30 }), 'c2'),
    );
    await settle();

    one('[data-testid="prev-page"]')!.click();
    await settle();
    expectPage((r) => !r.params.has('cursor')).flush(
      aCredentialList([listed('a')], statusCounts({ unverified: 30 }), 'c1'),
    );
    await settle();
    expect(one('[data-testid="page-number"]')!.textContent).toContain('Page 1');
  });

  it('should say what to do next when there are no credentials at all', async () => {
    await open('/credentials');
    expectPage().flush(aCredentialList([], statusCounts({})));
    await settle();

    const empty = one('[data-testid="credentials-empty"]')!;
    expect(empty.textContent).toContain('No credentials yet');
    expect(empty.querySelector('a[href="/sandbox"]')).not.toBeNull();
  });

  it('should offer to clear the filters when nothing matches', async () => {
    await open('/credentials?q=nobody&status=deleted');
    expectPage().flush(aCredentialList([], statusCounts({ unverified: 2 })));
    await settle();

    one('[data-testid="clear-filters"]')!.click();
    await settle();

    expect(TestBed.inject(Router).url).toBe('/credentials');
    expectPage((r) => !r.params.has('q') && !r.params.has('status')).flush(aCredentialList([listed('a')]));
    await settle();
    expect(row('a')).not.toBeNull();
  });

  it('should hide the connect link actions from viewers', async () => {
    await open('/credentials', 'viewer');
    expectPage().flush(aCredentialList([listed('a')]));
    await settle();

    expect(one('[data-testid="copy-link-button"]')).toBeNull();
    expect(one('[data-testid="row-link-button"]')).toBeNull();
  });

  it('should issue a connect link for a row and show its URL', async () => {
    await open('/credentials');
    expectPage().flush(aCredentialList([listed('a')]));
    await settle();

    one('[data-testid="row-link-button"]')!.click();
    await settle();
    const request = http.expectOne('/api/links');
    expect(request.request.body).toEqual({ external_id: 'user_a', source_id: 'src_bank' });
    const link: LinkView = {
      token: 't',
      url: 'http://127.0.0.1:3000/connect#token=t',
      external_id: 'user_a',
      source_id: 'src_bank',
      expires_at: '2026-11-30T11:00:00.000Z',
    };
    request.flush(link);
    await settle();

    const url = document.querySelector<HTMLInputElement>('[data-testid="link-url"]');
    expect(url?.value).toBe(link.url);
  });

  it('should say in words when the list cannot be loaded', async () => {
    await open('/credentials');
    expectPage().flush(
      { statusCode: 503, code: 'unavailable', message: 'busy' },
      { status: 503, statusText: 'Service Unavailable' },
    );
    await settle();

    expect(one('[data-testid="list-error"]')!.textContent).toContain('The service is busy or starting.');
  });
});
