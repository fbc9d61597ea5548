import { HttpTestingController, TestRequest } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';

import type { CredentialDetail, Role, TaskRunView } from '@app/contracts';

import { SessionService } from '../../../core/auth/session.service';
import { ChartComponent } from '../../../shared/chart.component';
import { ChartStubComponent } from '../../../../testing/chart-stub';
import { FakeRealtime, fakeRealtime } from '../../../../testing/fake-realtime';
import { providePageTesting } from '../../../../testing/page-testing';
import {
  aCodePrompt,
  aCredential,
  aCredentialDetail,
  anInteraction,
  anOperator,
  aRun,
  EXAMPLE_BANK,
} from '../../../../testing/views';
import { CredentialDetailPageComponent } from './credential-detail-page.component';

/** Run `id` of credential c1, running since a second after the credential was made. */
function run(id: string, overrides: Partial<TaskRunView> = {}): TaskRunView {
  return aRun({ id, deck_id: `trun_${id}`, status: 'running', started_at: '2026-12-01T09:00:01.000Z', ...overrides });
}

describe(CredentialDetailPageComponent.name, () => {
  let fixture: ComponentFixture<CredentialDetailPageComponent>;
  let http: HttpTestingController;
  let realtime: FakeRealtime;

  function root(): HTMLElement {
    return fixture.nativeElement as HTMLElement;
  }

  function byTestId(id: string): HTMLElement | null {
    return root().querySelector<HTMLElement>(`[data-testid="${id}"]`);
  }

  function allByTestId(id: string): HTMLElement[] {
    return [...root().querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)];
  }

  /** Lets answered requests run through the page's promise chains, then renders. */
  async function settle(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 0));
    await fixture.whenStable();
    fixture.detectChanges();
    await fixture.whenStable();
  }

  function expectDetail(): TestRequest {
    return http.expectOne((r) => r.method === 'GET' && r.url === '/api/credentials/c1');
  }

  async function open(role: Role, answer: CredentialDetail | null = aCredentialDetail()): Promise<void> {
    const operator = anOperator({ role });
    TestBed.inject(SessionService).operator.set(operator);
    fixture = TestBed.createComponent(CredentialDetailPageComponent);
    fixture.componentRef.setInput('id', 'c1');
    await settle();
    http.expectOne('/api/sources').flush([EXAMPLE_BANK]);
    if (role === 'admin') {
      http.expectOne('/api/operators').flush([operator, anOperator({ id: 'op_2', email: 'bo@example.com' })]);
    }
    if (answer) {
      expectDetail().flush(answer);
      await settle();
    }
  }

  async function click(testId: string): Promise<void> {
    byTestId(testId)!.click();
    await settle();
  }

  beforeEach(() => {
    realtime = fakeRealtime();
    TestBed.configureTestingModule({
      providers: [
        ...providePageTesting(),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
        realtime.provider,
      ],
    });
    TestBed.overrideComponent(CredentialDetailPageComponent, {
      remove: { imports: [ChartComponent] },
      add: { imports: [ChartStubComponent] },
    });
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => {
    jest.restoreAllMocks();
    fixture?.destroy();
    document.querySelectorAll('.cdk-overlay-container').forEach((el) => el.remove());
    http.verify();
  });

  it('should show a skeleton while loading, then the header', async () => {
    await open('operator', null);
    expect(byTestId('detail-loading')).not.toBeNull();

    expectDetail().flush(
      aCredentialDetail({
        credential: aCredential({
          status: 'invalid',
          username_hint: 'us***@example.com',
          last_error: { type: 'auth', code: 'auth_invalid', message: 'Invalid credentials' },
        }),
      }),
    );
    await settle();

    const header = byTestId('credential-header')!;
    expect(header.textContent).toContain('Example Bank');
    expect(header.textContent).toContain('user_42');
    expect(header.textContent).toContain('us***@example.com');
    expect(byTestId('credential-status')!.querySelector('[data-status]')?.getAttribute('data-status')).toBe('invalid');
    expect(byTestId('last-error')!.textContent).toContain('The source rejected the username or password.');
  });

  it('should say when the credential does not exist, with a way back', async () => {
    await open('operator', null);
    expectDetail().flush(
      { statusCode: 404, code: 'not_found', message: 'The credential was not found' },
      { status: 404, statusText: 'Not Found' },
    );
    await settle();

    expect(byTestId('detail-not-found')!.textContent).toContain('This credential does not exist (or was removed)');
    expect(byTestId('detail-not-found')!.querySelector('a')?.getAttribute('href')).toBe('/credentials');
  });

  it('should show the runs, the timeline and who answered prompts', async () => {
    await open(
      'admin',
      aCredentialDetail({
        runs: [
          run('r2', {
            status: 'failed',
            result: 'failure',
            finished_at: '2026-12-01T09:05:00.000Z',
            created_at: '2026-12-01T09:04:00.000Z',
            errors: [{ type: 'auth', code: 'auth_invalid', message: 'The password is wrong' }],
          }),
          run('r1', { status: 'completed', result: 'success', finished_at: '2026-12-01T09:01:00.000Z' }),
        ],
        interactions: [
          anInteraction({ id: 'i1', state: 'answered', answered_by: 'op_2', closed_at: '2026-12-01T09:00:30.000Z' }),
        ],
        timeline: [
          {
            at: '2026-12-01T09:05:01.000Z',
            kind: 'event',
            type: 'credential.invalid',
            summary: 'Deck event credential.invalid: applied',
            ref: 'evt_1',
          },
        ],
      }),
    );

    const rows = allByTestId('run-row');
    expect(rows.map((row) => row.dataset['runId'])).toEqual(['r2', 'r1']);
    expect(rows[0].textContent).toContain('failed');
    expect(rows[0].textContent).toContain('The password is wrong');
    expect(byTestId('runs-chart')).not.toBeNull();

    const entries = allByTestId('timeline-entry');
    expect(entries[0].dataset['kind']).toBe('event');
    expect(entries[0].textContent).toContain('credential.invalid');
    const answered = entries.find((entry) => entry.textContent?.includes('Prompt answered'));
    expect(answered?.textContent).toContain('Answered by bo@example.com');
  });

  it('should show viewers no actions and no answer form', async () => {
    await open('viewer', aCredentialDetail({ interactions: [anInteraction({ id: 'i1' })] }));

    for (const id of ['verify-button', 'update-button', 'delete-button', 'copy-link-button', 'action-result']) {
      expect(byTestId(id)).toBeNull();
    }
    expect(byTestId('open-prompt')!.textContent).toContain('Only operators can answer prompts.');
    expect(root().querySelector('dh-interaction-form')).toBeNull();
  });

  it('should start a verification, say so, and list the new run', async () => {
    await open('operator');

    await click('verify-button');
    expect(byTestId('action-result')!.textContent).toContain('Starting verification…');
    http.expectOne({ method: 'POST', url: '/api/credentials/c1/verify' }).flush(run('r9', { status: 'queued' }));
    await settle();

    expect(byTestId('action-result')!.textContent).toContain('Verification started');
    expect(allByTestId('run-row').map((row) => row.dataset['runId'])).toEqual(['r9']);

    realtime.send({
      kind: 'task_run',
      credential_id: 'c1',
      task_run: run('r9', {
        status: 'failed',
        result: 'failure',
        finished_at: '2026-12-01T09:00:09.000Z',
        updated_at: '2026-12-01T09:00:09.000Z',
        errors: [{ type: 'auth', code: 'auth_invalid', message: 'Invalid credentials' }],
      }),
    });
    await settle();
    expect(allByTestId('run-row')[0].dataset['status']).toBe('failed');
    expect(byTestId('action-result')!.textContent).toContain(
      'The verification failed: The source rejected the username or password.',
    );
  });

  it('should say a Deck failure in words', async () => {
    await open('operator');

    await click('verify-button');
    http
      .expectOne({ method: 'POST', url: '/api/credentials/c1/verify' })
      .flush(
        { statusCode: 503, code: 'deck_unavailable', message: 'Deck did not answer' },
        { status: 503, statusText: 'Service Unavailable' },
      );
    await settle();

    expect(byTestId('action-result')!.textContent).toContain('Deck is not answering right now.');
    expect(byTestId('action-result')!.classList).toContain('error-text');
  });

  it('should follow live changes for this credential only', async () => {
    await open('operator', aCredentialDetail({ runs: [run('r1')] }));

    realtime.send({
      kind: 'credential',
      credential_id: 'c2',
      credential: aCredential({ id: 'c2', status: 'verified', updated_at: '2026-12-01T10:00:00.000Z' }),
    });
    realtime.send({
      kind: 'task_run',
      credential_id: 'c1',
      task_run: run('r1', { status: 'interaction_required', updated_at: '2026-12-01T09:00:02.000Z' }),
    });
    realtime.send({ kind: 'interaction', credential_id: 'c1', interaction: anInteraction({ id: 'i1' }) });
    await settle();

    expect(byTestId('credential-status')!.querySelector('[data-status]')?.getAttribute('data-status')).toBe(
      'unverified',
    );
    expect(allByTestId('run-row')[0].dataset['status']).toBe('interaction_required');
    expect(byTestId('open-prompt')!.dataset['runId']).toBe('r1');
    expect(byTestId('open-prompt')!.textContent).toContain('Enter the 6-digit code');

    realtime.send({
      kind: 'credential',
      credential_id: 'c1',
      credential: aCredential({ status: 'verified', updated_at: '2026-12-01T09:10:00.000Z' }),
    });
    await settle();
    expect(byTestId('credential-status')!.querySelector('[data-status]')?.getAttribute('data-status')).toBe('verified');
  });

  it('should answer the open prompt inline and say the run continues', async () => {
    await open(
      'operator',
      aCredentialDetail({
        runs: [run('r1', { status: 'interaction_required' })],
        interactions: [anInteraction({ id: 'i1' })],
      }),
    );

    const input = byTestId('open-prompt')!.querySelector<HTMLInputElement>('input[data-field="code"]')!;
    input.value = '123456';
    input.dispatchEvent(new Event('input'));
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    await settle();
    const request = http.expectOne({ method: 'POST', url: '/api/task-runs/r1/interaction' });
    expect(request.request.body).toEqual({ input: { code: '123456' } });
    request.flush(
      anInteraction({ id: 'i1', state: 'answered', answered_by: 'op_1', closed_at: '2026-12-01T09:00:09.000Z' }),
    );
    await settle();

    expect(byTestId('open-prompt')).toBeNull();
    expect(byTestId('prompt-notice')!.textContent).toContain('Answer sent — the run continues');
    expect(root().textContent).toContain('Answered by you (ana@example.com)');

    // A wrong answer: Deck asks again, and the new prompt arrives live.
    realtime.send({
      kind: 'interaction',
      credential_id: 'c1',
      interaction: anInteraction({
        id: 'i2',
        opened_at: '2026-12-01T09:00:10.000Z',
        prompt: aCodePrompt('Wrong code, try again'),
      }),
    });
    await settle();
    expect(byTestId('open-prompt')!.textContent).toContain('Wrong code, try again');
  });

  it('should say when someone else already answered the prompt (409)', async () => {
    await open('operator', aCredentialDetail({ interactions: [anInteraction({ id: 'i1' })] }));

    const input = byTestId('open-prompt')!.querySelector<HTMLInputElement>('input[data-field="code"]')!;
    input.value = '123456';
    input.dispatchEvent(new Event('input'));
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    await settle();
    http
      .expectOne('/api/task-runs/r1/interaction')
      .flush({ statusCode: 409, code: 'conflict', message: 'Not waiting' }, { status: 409, statusText: 'Conflict' });
    await settle();

    expect(byTestId('open-prompt')).toBeNull();
    expect(byTestId('prompt-notice')!.textContent).toContain('Someone else already answered this prompt');
  });

  it('should delete after confirmation and show the credential as deleted', async () => {
    await open('operator');
    // jsdom has no layout, so the CDK finds the confirm dialog's initial focus target "not focusable".
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);

    await click('delete-button');
    document.querySelector<HTMLButtonElement>('[data-testid="confirm-button"]')!.click();
    await settle();
    http
      .expectOne({ method: 'DELETE', url: '/api/credentials/c1' })
      .flush(aCredential({ status: 'deleted', updated_at: '2026-12-01T09:20:00.000Z' }));
    await settle();

    expect(byTestId('action-result')!.textContent).toContain('Credential deleted');
    expect(byTestId('deleted-note')).not.toBeNull();
    expect(byTestId('delete-button')).toBeNull();
    expect(byTestId('verify-button')).toBeNull();
  });

  it('should offer an update prominently when the source rejected the login, then verify again', async () => {
    await open('operator', aCredentialDetail({ credential: aCredential({ status: 'invalid' }) }));
    expect(byTestId('rejected-panel')!.textContent).toContain('The source rejected these login details. Update them');
    expect(allByTestId('update-button')).toHaveLength(1);

    await click('update-button');
    const login = document.querySelector<HTMLInputElement>('[data-testid="login-username"]')!;
    const password = document.querySelector<HTMLInputElement>('[data-testid="login-password"]')!;
    login.value = 'user_good';
    login.dispatchEvent(new Event('input'));
    password.value = 'secret';
    password.dispatchEvent(new Event('input'));
    document.querySelector<HTMLButtonElement>('[data-testid="login-submit"]')!.click();
    await settle();

    const patch = http.expectOne({ method: 'PATCH', url: '/api/credentials/c1' });
    expect(patch.request.body).toEqual({ username: 'user_good', password: 'secret' });
    patch.flush(aCredential({ status: 'unverified', updated_at: '2026-12-01T09:30:00.000Z' }));
    await settle();
    expect(byTestId('action-result')!.textContent).toContain('Login details updated — verifying…');
    http.expectOne({ method: 'POST', url: '/api/credentials/c1/verify' }).flush(run('r5', { status: 'queued' }));
    await settle();

    expect(byTestId('action-result')!.textContent).toContain('Login details updated — verifying…');
    expect(byTestId('rejected-panel')).toBeNull();
    expect(allByTestId('run-row').map((row) => row.dataset['runId'])).toEqual(['r5']);
  });

  it('should reload quietly when the live feed asks for a refetch', async () => {
    await open('operator');

    realtime.refetch.next();
    await settle();
    expect(byTestId('credential-header')).not.toBeNull();
    expectDetail().flush(
      aCredentialDetail({ credential: aCredential({ status: 'verified', updated_at: '2026-12-01T10:00:00.000Z' }) }),
    );
    await settle();

    expect(byTestId('credential-status')!.querySelector('[data-status]')?.getAttribute('data-status')).toBe('verified');
  });
});
