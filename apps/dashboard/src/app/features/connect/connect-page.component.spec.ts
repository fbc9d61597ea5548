import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';

import type { CredentialView } from '@app/contracts';

import { LINK, prompt } from '../../../testing/connect';
import { FakeRealtime, fakeRealtime } from '../../../testing/fake-realtime';
import { providePageTesting } from '../../../testing/page-testing';
import { aCredential, aCredentialDetail, aCredentialList, aRun, EXAMPLE_BANK } from '../../../testing/views';
import { CONNECT_POLL_MS, ConnectPageComponent } from './connect-page.component';

const TOKEN = 'tok_abc123';

describe(ConnectPageComponent.name, () => {
  let fixture: ComponentFixture<ConnectPageComponent>;
  let http: HttpTestingController;
  let realtime: FakeRealtime;

  function root(): HTMLElement {
    return fixture.nativeElement as HTMLElement;
  }

  function byTestId(id: string): HTMLElement | null {
    return root().querySelector<HTMLElement>(`[data-testid="${id}"]`);
  }

  function step(): string | undefined {
    return byTestId('connect-step')?.dataset['step'];
  }

  async function settle(): Promise<void> {
    await fixture.whenStable();
    fixture.detectChanges();
    await fixture.whenStable();
  }

  async function open(hash = `#token=${TOKEN}`): Promise<void> {
    window.history.replaceState(null, '', `/connect${hash}`);
    fixture = TestBed.createComponent(ConnectPageComponent);
    await settle();
  }

  async function load(existing: CredentialView[] = []): Promise<void> {
    http.expectOne('/api/links/current').flush(LINK);
    http.expectOne('/api/sources').flush([EXAMPLE_BANK]);
    http.expectOne((r) => r.url === '/api/credentials').flush(aCredentialList(existing));
    await settle();
  }

  function type(input: HTMLInputElement, value: string): void {
    input.value = value;
    input.dispatchEvent(new Event('input'));
  }

  /** Fills the login form, submits it, answers the create and the verify. */
  async function connect(username: string): Promise<void> {
    type(root().querySelector<HTMLInputElement>('[data-testid="login-username"]')!, username);
    type(root().querySelector<HTMLInputElement>('[data-testid="login-password"]')!, 'hunter2');
    root().querySelector<HTMLFormElement>('[data-testid="login-form"]')!.dispatchEvent(new Event('submit'));
    await settle();
    http.expectOne({ method: 'POST', url: '/api/credentials' }).flush(aCredential());
    await settle();
    http.expectOne({ method: 'POST', url: '/api/credentials/c1/verify' }).flush(aRun());
    await settle();
  }

  beforeEach(() => {
    sessionStorage.clear();
    realtime = fakeRealtime();
    jest.spyOn(realtime, 'connectWithLink');
    TestBed.configureTestingModule({
      providers: [...providePageTesting(), realtime.provider],
    });
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => {
    fixture?.destroy();
    http.verify();
    jest.useRealTimers();
  });

  it('should read the token from the fragment once, keep it for a reload and remove it from the address bar', async () => {
    await open();

    expect(window.location.hash).toBe('');
    expect(window.location.pathname).toBe('/connect');
    expect(sessionStorage.getItem('deckhand.connect.link-token')).toBe(TOKEN);
    expect(realtime.connectWithLink).toHaveBeenCalledWith(TOKEN);
    await load();
  });

  it('should use the kept token after a reload (no fragment any more)', async () => {
    sessionStorage.setItem('deckhand.connect.link-token', 'tok_kept');
    await open('');

    expect(http.expectOne('/api/links/current').request.headers.get('X-Link-Token')).toBe('tok_kept');
    http.expectOne('/api/sources').flush([]);
    http.expectOne((r) => r.url === '/api/credentials').flush(aCredentialList([]));
  });

  it('should send the token in X-Link-Token on every call, never a CSRF header', async () => {
    await open();
    const linkCall = http.expectOne('/api/links/current');
    expect(linkCall.request.headers.get('X-Link-Token')).toBe(TOKEN);
    linkCall.flush(LINK);
    const sources = http.expectOne('/api/sources');
    expect(sources.request.headers.get('X-Link-Token')).toBe(TOKEN);
    sources.flush([EXAMPLE_BANK]);
    http.expectOne((r) => r.url === '/api/credentials').flush(aCredentialList([]));
    await settle();

    type(root().querySelector<HTMLInputElement>('[data-testid="login-username"]')!, 'user_mfa');
    type(root().querySelector<HTMLInputElement>('[data-testid="login-password"]')!, 'hunter2');
    root().querySelector<HTMLFormElement>('[data-testid="login-form"]')!.dispatchEvent(new Event('submit'));
    await settle();

    const create = http.expectOne({ method: 'POST', url: '/api/credentials' });
    expect(create.request.headers.get('X-Link-Token')).toBe(TOKEN);
    expect(create.request.headers.get('Idempotency-Key')).toMatch(/^connect-[0-9a-f]{32}$/);
    expect(create.request.headers.has('X-XSRF-TOKEN')).toBe(false);
    expect(create.request.body).toEqual({ source_id: 'src_bank', username: 'user_mfa', password: 'hunter2' });
    expect(step()).toBe('saving');
    create.flush(aCredential());
    await settle();

    const verify = http.expectOne({ method: 'POST', url: '/api/credentials/c1/verify' });
    expect(verify.request.headers.get('X-Link-Token')).toBe(TOKEN);
    verify.flush(aRun());
    await settle();
    expect(step()).toBe('waiting');
    expect(byTestId('connect-status')?.textContent).toContain('Waiting for Example Bank');
    expect(root().querySelector('h1')?.textContent).toContain('Checking your login with Example Bank');
  });

  it('should show the prompt when an interaction arrives live, post the answer to the run, and re-prompt after a wrong one', async () => {
    await open();
    await load();
    await connect('user_mfa');

    realtime.send({
      kind: 'task_run',
      credential_id: 'c1',
      task_run: aRun({ status: 'interaction_required', updated_at: 'u2' }),
    });
    realtime.send({ kind: 'interaction', credential_id: 'c1', interaction: prompt('p1', 'Enter the 6-digit code.') });
    await settle();

    expect(step()).toBe('prompt');
    const form = byTestId('connect-prompt')!;
    expect(form.textContent).toContain('Enter the 6-digit code.');
    expect(document.activeElement).toBe(form.querySelector('input[data-field="code"]'));
    expect(byTestId('connect-announcer')?.textContent).toContain('Enter the 6-digit code.');

    type(form.querySelector<HTMLInputElement>('input[data-field="code"]')!, '000000');
    form.querySelector('form')!.dispatchEvent(new Event('submit'));
    await settle();
    const answer = http.expectOne({ method: 'POST', url: '/api/task-runs/r1/interaction' });
    expect(answer.request.body).toEqual({ input: { code: '000000' } });
    expect(answer.request.headers.get('X-Link-Token')).toBe(TOKEN);
    expect(step()).toBe('answering');
    answer.flush(prompt('p1', 'Enter the 6-digit code.', { state: 'answered' }));
    await settle();
    expect(step()).toBe('waiting');
    expect(byTestId('connect-status')?.textContent).toContain('Checking your answer');

    realtime.send({
      kind: 'interaction',
      credential_id: 'c1',
      interaction: prompt('p2', 'That code was not accepted.'),
    });
    await settle();
    expect(step()).toBe('prompt');
    expect(byTestId('connect-retry-notice')?.textContent).toContain("That didn't work — try again");
    expect(byTestId('connect-prompt')?.textContent).toContain('That code was not accepted.');

    realtime.send({
      kind: 'credential',
      credential_id: 'c1',
      credential: aCredential({ status: 'verified', updated_at: 'u9' }),
    });
    await settle();
    expect(step()).toBe('verified');
    expect(byTestId('connect-verified')?.textContent).toContain('Example Bank accepted your login');
    expect(document.activeElement).toBe(root().querySelector('h1'));
  });

  it('should offer the update form when the login is rejected, and check again after the update', async () => {
    await open();
    await load();
    await connect('user_bad');

    realtime.send({
      kind: 'task_run',
      credential_id: 'c1',
      task_run: aRun({
        status: 'failed',
        errors: [{ type: 'auth', code: 'auth_invalid', message: 'Wrong.' }],
        updated_at: 'u3',
      }),
    });
    await settle();
    expect(step()).toBe('rejected');
    expect(byTestId('connect-rejected')).not.toBeNull();

    type(root().querySelector<HTMLInputElement>('[data-testid="login-username"]')!, 'user_good');
    type(root().querySelector<HTMLInputElement>('[data-testid="login-password"]')!, 'secret');
    root().querySelector<HTMLFormElement>('[data-testid="login-form"]')!.dispatchEvent(new Event('submit'));
    await settle();
    const patch = http.expectOne({ method: 'PATCH', url: '/api/credentials/c1' });
    expect(patch.request.body).toEqual({ username: 'user_good', password: 'secret' });
    patch.flush(aCredential({ updated_at: '2026-12-01T09:05:00.000Z' }));
    await settle();
    http.expectOne({ method: 'POST', url: '/api/credentials/c1/verify' }).flush(aRun({ id: 'r2' }));
    await settle();
    expect(step()).toBe('waiting');
  });

  it('should say the source is down and try again with a new verification', async () => {
    await open();
    await load();
    await connect('user_source_down');

    realtime.send({
      kind: 'task_run',
      credential_id: 'c1',
      task_run: aRun({
        status: 'failed',
        errors: [{ type: 'source', code: 'source_not_available', message: 'Down' }],
        updated_at: 'u3',
      }),
    });
    await settle();
    expect(step()).toBe('unavailable');
    expect(root().textContent).toContain('Example Bank is not available right now');

    byTestId('connect-retry')!.click();
    await settle();
    http.expectOne({ method: 'POST', url: '/api/credentials/c1/verify' }).flush(aRun({ id: 'r2' }));
    await settle();
    expect(step()).toBe('waiting');
  });

  it('should show the friendly expired page when the link is no longer valid', async () => {
    await open();
    http
      .expectOne('/api/links/current')
      .flush(
        { statusCode: 401, code: 'link_invalid', message: 'This link has expired.' },
        { status: 401, statusText: 'Unauthorized' },
      );
    http.expectOne('/api/sources');
    http.expectOne((r) => r.url === '/api/credentials');
    await settle();

    expect(step()).toBe('expired');
    expect(root().querySelector('h1')?.textContent).toContain('This link has expired — ask for a new one');
    expect(sessionStorage.getItem('deckhand.connect.link-token')).toBeNull();
  });

  it('should list the end user’s credentials and open the update form for a rejected one', async () => {
    await open();
    await load([
      aCredential({ status: 'invalid' }),
      aCredential({ id: 'c2', status: 'verified', username_hint: 'ma***' }),
    ]);

    expect(step()).toBe('overview');
    const rows = [...root().querySelectorAll<HTMLElement>('[data-testid="connect-existing-row"]')];
    expect(rows.map((r) => r.dataset['id'])).toEqual(['c1', 'c2']);
    expect(rows[1].textContent).toContain('Example Bank');
    expect(rows[1].textContent).toContain('ma***');
    expect(rows[1].querySelector('[data-status="verified"]')).not.toBeNull();

    rows[0].querySelector<HTMLButtonElement>('[data-testid="connect-fix"]')!.click();
    await settle();
    expect(step()).toBe('rejected');
  });

  it('should fetch the credential every few seconds only while the live feed is down', async () => {
    await open();
    await load();
    await connect('user_mfa');
    // From here the clock is fake; change detection is run by hand (whenStable needs real timers).
    jest.useFakeTimers();

    jest.advanceTimersByTime(CONNECT_POLL_MS * 2);
    http.expectNone('/api/credentials/c1');

    realtime.status.set('reconnecting');
    fixture.detectChanges();
    jest.advanceTimersByTime(CONNECT_POLL_MS);
    http
      .expectOne('/api/credentials/c1')
      .flush(aCredentialDetail({ credential: aCredential({ status: 'verified', updated_at: 'u9' }) }));
    fixture.detectChanges();
    expect(step()).toBe('verified');
    jest.advanceTimersByTime(CONNECT_POLL_MS * 2);
    http.expectNone('/api/credentials/c1');
  });
});
