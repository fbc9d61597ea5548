import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';

import type { CredentialDetail, Page, ReceivedEventDetail, ReceivedEventView } from '@app/contracts';

import { providePageTesting } from '../../../testing/page-testing';
import { EventsPageComponent } from './events-page.component';

function event(id: string, overrides: Partial<ReceivedEventView> = {}): ReceivedEventView {
  return {
    id,
    type: 'credential.verified',
    object_id: 'cred_1',
    deck_credential_id: 'cred_1',
    created_at: '2026-01-01T10:00:00.000Z',
    received_at: '2026-01-01T10:00:01.000Z',
    via: 'webhook',
    duplicates: 0,
    outcome: 'applied',
    note: null,
    ...overrides,
  };
}

function page(data: ReceivedEventView[], next: string | null = null): Page<ReceivedEventView> {
  return { data, has_more: next !== null, next_cursor: next };
}

describe(EventsPageComponent.name, () => {
  let fixture: ComponentFixture<EventsPageComponent>;
  let http: HttpTestingController;
  let router: Router;

  async function open(url: string): Promise<void> {
    await router.navigateByUrl(url);
    fixture = TestBed.createComponent(EventsPageComponent);
    await fixture.whenStable();
  }

  function text(): string {
    return (fixture.nativeElement as HTMLElement).textContent ?? '';
  }

  function query<T extends Element = HTMLElement>(selector: string): T[] {
    return Array.from((fixture.nativeElement as HTMLElement).querySelectorAll<T>(selector));
  }

  async function settle(): Promise<void> {
    await fixture.whenStable();
    fixture.detectChanges();
  }

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: providePageTesting([{ path: 'events', children: [] }]),
    });
    http = TestBed.inject(HttpTestingController);
    router = TestBed.inject(Router);
  });

  afterEach(() => http.verify());

  it('should list the events with their outcome, via and duplicate count', async () => {
    await open('/events');
    http
      .expectOne((r) => r.url === '/api/events' && r.params.get('limit') === '50')
      .flush(
        page([
          event('e2', { duplicates: 2, via: 'catch_up', outcome: 'stale', note: 'older than the mirror' }),
          event('e1'),
        ]),
      );
    await settle();

    const rows = query('[data-testid="event-row"]');
    expect(rows.map((row) => row.dataset['id'])).toEqual(['e2', 'e1']);
    expect(rows[0].textContent).toContain('catch-up');
    expect(rows[0].textContent).toContain('×2');
    expect(rows[0].textContent).toContain('older than the mirror');
    expect(rows[0].querySelector('[data-status]')?.getAttribute('data-status')).toBe('stale');
    expect(rows[1].textContent).not.toContain('×');
  });

  it('should fetch a payload once, render it as JSON, and reuse it when the row opens again', async () => {
    await open('/events');
    http.expectOne((r) => r.url === '/api/events').flush(page([event('e1')]));
    await settle();
    const expand = query<HTMLButtonElement>('[data-testid="event-expand"]')[0];
    expect(expand.getAttribute('aria-expanded')).toBe('false');

    expand.click();
    await settle();
    expect(expand.getAttribute('aria-expanded')).toBe('true');
    const detail: ReceivedEventDetail = {
      ...event('e1'),
      payload: { id: 'e1', type: 'credential.verified', data: { object: { id: 'cred_1', status: 'verified' } } },
    };
    http.expectOne('/api/events/e1').flush(detail);
    await settle();

    const payload = query('[data-testid="event-payload"]')[0];
    expect(payload.querySelector('dh-json-viewer')).not.toBeNull();
    expect(payload.textContent).toContain('type: "credential.verified"');
    expect(payload.textContent).toContain('data: {1 key}');

    expand.click();
    await settle();
    expect(query('[data-testid="event-payload"]')).toHaveLength(0);
    expand.click();
    await settle();
    http.expectNone('/api/events/e1');
    expect(query('[data-testid="event-payload"]')[0].textContent).toContain('type: "credential.verified"');
  });

  it('should say in words when a payload cannot be loaded', async () => {
    await open('/events');
    http.expectOne((r) => r.url === '/api/events').flush(page([event('e1')]));
    await settle();

    query<HTMLButtonElement>('[data-testid="event-expand"]')[0].click();
    await settle();
    http
      .expectOne('/api/events/e1')
      .flush({ code: 'not_found', message: 'The event was not found.' }, { status: 404, statusText: 'Not Found' });
    await settle();

    expect(query('[data-testid="event-payload"]')[0].textContent).toContain('This no longer exists');
  });

  it('should send the URL filters to the api', async () => {
    await open(
      '/events?type=credential.invalid,credential.verified&outcome=held&via=catch_up&deck_credential_id=cred_7',
    );
    http.expectOne('/api/credentials/cred_7').flush({}, { status: 404, statusText: 'Not Found' });
    await settle();
    const request = http.expectOne((r) => r.url === '/api/events');
    await settle();

    expect(request.request.params.get('type')).toBe('credential.invalid,credential.verified');
    expect(request.request.params.get('outcome')).toBe('held');
    expect(request.request.params.get('via')).toBe('catch_up');
    expect(request.request.params.get('deck_credential_id')).toBe('cred_7');
    request.flush(page([]));
    await settle();
    expect(text()).toContain('No events match these filters');
    expect(query('[data-testid="events-clear-filters"]')).toHaveLength(1);
  });

  it('should resolve ?credential= to its Deck id, name it, and link the credential from its events', async () => {
    await open('/events?credential=c-1');
    const detail = {
      credential: { id: 'c-1', deck_id: 'cred_1', external_id: 'ext-42', username_hint: 'us***' },
    } as CredentialDetail;
    http.expectOne('/api/credentials/c-1').flush(detail);
    await settle();
    http
      .expectOne((r) => r.url === '/api/events' && r.params.get('deck_credential_id') === 'cred_1')
      .flush(page([event('e1')]));
    await settle();

    expect(query('[data-testid="events-credential-chip"]')[0].textContent).toContain('ext-42');
    expect(query('[data-testid="event-row"] a')[0].getAttribute('href')).toBe('/credentials/c-1');
  });

  it('should tell a first visit what sends events', async () => {
    await open('/events');
    http.expectOne((r) => r.url === '/api/events').flush(page([]));
    await settle();

    expect(text()).toContain('No events received yet');
    expect(text()).toContain('catch-up also reads them every minute');
  });
});
