import { HttpTestingController } from '@angular/common/http/testing';
import { DestroyRef } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';

import type { InteractionView, Page, Role } from '@app/contracts';

import { SessionService } from '../../core/auth/session.service';
import { OpenPromptsStore } from '../../core/prompts/open-prompts.store';
import { FakeRealtime, fakeRealtime } from '../../../testing/fake-realtime';
import { providePageTesting } from '../../../testing/page-testing';
import { aCodePrompt, aCredentialDetail, anInteraction, anOperator, EXAMPLE_BANK } from '../../../testing/views';
import { PromptQueuePageComponent } from './prompt-queue-page.component';

/** Prompt `id` of run `run_<id>` on credential c1. */
function prompt(id: string, overrides: Partial<InteractionView> = {}): InteractionView {
  return anInteraction({
    id,
    task_run_id: `run_${id}`,
    prompt: aCodePrompt(`Enter the code for ${id}`),
    opened_at: '2026-01-01T10:00:00.000Z',
    ...overrides,
  });
}

describe(PromptQueuePageComponent.name, () => {
  let fixture: ComponentFixture<PromptQueuePageComponent>;
  let http: HttpTestingController;
  let store: OpenPromptsStore;
  let realtime: FakeRealtime;

  function root(): HTMLElement {
    return fixture.nativeElement as HTMLElement;
  }

  function items(): HTMLElement[] {
    return [...root().querySelectorAll<HTMLElement>('[data-testid="queue-item"]')];
  }

  function item(id: string): HTMLElement {
    const found = items().find((el) => el.dataset['interactionId'] === id);
    if (!found) {
      throw new Error(`no queue item ${id}`);
    }
    return found;
  }

  async function settle(): Promise<void> {
    await fixture.whenStable();
    fixture.detectChanges();
    await fixture.whenStable();
  }

  /** Opens the page as an operator of `role` with the queue already loaded by the shell. */
  async function open(role: Role, queue: InteractionView[]): Promise<void> {
    TestBed.inject(SessionService).operator.set(anOperator({ role }));
    store.items.set(queue);
    store.loaded.set(true);
    fixture = TestBed.createComponent(PromptQueuePageComponent);
    await settle();
    if (queue.some((p) => p.credential_id === 'c1')) {
      http.expectOne('/api/credentials/c1').flush(aCredentialDetail());
      http.expectOne('/api/sources').flush([EXAMPLE_BANK]);
      await settle();
    }
  }

  async function answer(id: string, code: string): Promise<void> {
    const input = item(id).querySelector<HTMLInputElement>('input[data-field="code"]')!;
    input.value = code;
    input.dispatchEvent(new Event('input'));
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    await settle();
  }

  beforeEach(() => {
    realtime = fakeRealtime();
    TestBed.configureTestingModule({
      providers: [...providePageTesting(), realtime.provider],
    });
    http = TestBed.inject(HttpTestingController);
    store = TestBed.inject(OpenPromptsStore);
  });

  afterEach(() => {
    fixture?.destroy();
    http.verify();
  });

  it('should list every open prompt with its source, external id, message, wait and a link to its credential', async () => {
    await open('operator', [prompt('i2', { opened_at: '2026-01-01T10:05:00.000Z' }), prompt('i1')]);

    expect(items().map((el) => el.dataset['interactionId'])).toEqual(['i2', 'i1']);
    expect(items().map((el) => el.dataset['runId'])).toEqual(['run_i2', 'run_i1']);
    const first = item('i2');
    expect(first.textContent).toContain('Example Bank');
    expect(first.textContent).toContain('user_42');
    expect(first.textContent).toContain('Enter the code for i2');
    expect(first.textContent).toMatch(/waiting (under a minute|\d+)/);
    expect(first.querySelector('a')?.getAttribute('href')).toBe('/credentials/c1');
  });

  it('should put the focus in the first field of the first prompt', async () => {
    await open('operator', [prompt('i2'), prompt('i1')]);

    expect(document.activeElement).toBe(item('i2').querySelector('input[data-field="code"]'));
  });

  it('should send the answer, take the prompt out of the queue at once and say the run continues', async () => {
    await open('operator', [prompt('i2'), prompt('i1')]);

    await answer('i2', ' 123456 ');
    const request = http.expectOne('/api/task-runs/run_i2/interaction');
    expect(request.request.method).toBe('POST');
    expect(request.request.body).toEqual({ input: { code: '123456' } });
    expect(item('i2').querySelector<HTMLButtonElement>('[data-testid="answer-submit"]')!.disabled).toBe(true);
    request.flush(prompt('i2', { state: 'answered', answered_by: 'op_1' }));
    await settle();

    expect(items().map((el) => el.dataset['interactionId'])).toEqual(['i1']);
    expect(store.items().map((p) => p.id)).toEqual(['i1']);
    expect(root().querySelector('[data-testid="queue-notice"]')?.textContent).toContain(
      'Answer sent — the run continues.',
    );
    expect(document.activeElement).toBe(item('i1').querySelector('input[data-field="code"]'));
  });

  it('should tell the second operator the prompt was already answered and drop it (409)', async () => {
    await open('operator', [prompt('i1')]);

    await answer('i1', '123456');
    http
      .expectOne('/api/task-runs/run_i1/interaction')
      .flush(
        { statusCode: 409, code: 'conflict', message: 'This run is not waiting for an answer.' },
        { status: 409, statusText: 'Conflict' },
      );
    await settle();

    expect(items()).toHaveLength(0);
    expect(root().querySelector('[data-testid="queue-notice"]')?.textContent).toContain(
      'Already answered by someone else.',
    );
    expect(root().querySelector('[data-testid="queue-empty"]')).not.toBeNull();
  });

  it('should keep the prompt and say why when Deck cannot take the answer', async () => {
    await open('operator', [prompt('i1')]);

    await answer('i1', '123456');
    http
      .expectOne('/api/task-runs/run_i1/interaction')
      .flush(
        { statusCode: 503, code: 'deck_unavailable', message: 'Deck did not answer.' },
        { status: 503, statusText: 'Service Unavailable' },
      );
    await settle();

    expect(items()).toHaveLength(1);
    expect(item('i1').querySelector('[data-testid="answer-error"]')?.textContent).toContain(
      'Deck is not answering right now.',
    );
  });

  it('should follow the live feed: a new prompt appears, one answered elsewhere leaves', async () => {
    await open('operator', [prompt('i1')]);
    store.start(fixture.componentRef.injector.get(DestroyRef));
    const page: Page<InteractionView> = { data: [prompt('i1')], has_more: false, next_cursor: null };
    http.expectOne((r) => r.url === '/api/interactions').flush(page);
    await settle();

    realtime.send({
      kind: 'interaction',
      credential_id: 'c1',
      interaction: prompt('i3', {
        opened_at: '2026-01-01T10:09:00.000Z',
        prompt: aCodePrompt('Wrong code. Try again.'),
      }),
    });
    await settle();
    expect(items().map((el) => el.dataset['interactionId'])).toEqual(['i3', 'i1']);
    expect(item('i3').textContent).toContain('Wrong code. Try again.');

    realtime.send({
      kind: 'interaction',
      credential_id: 'c1',
      interaction: prompt('i1', { state: 'answered', answered_by: 'op_2', closed_at: '2026-01-01T10:10:00.000Z' }),
    });
    await settle();
    expect(items().map((el) => el.dataset['interactionId'])).toEqual(['i3']);
  });

  it('should show viewers the queue without answer forms', async () => {
    await open('viewer', [prompt('i1')]);

    expect(root().textContent).toContain('Only operators can answer prompts');
    expect(item('i1').textContent).toContain('Enter the code for i1');
    expect(root().querySelector('dh-interaction-form')).toBeNull();
  });

  it('should say what to expect when nothing is waiting', async () => {
    await open('operator', []);

    expect(root().querySelector('[data-testid="queue-empty"]')?.textContent).toContain(
      'No prompts waiting. When a source asks for a code or an answer, it appears here.',
    );
  });

  it('should show skeletons until the queue is loaded', async () => {
    TestBed.inject(SessionService).operator.set(anOperator({ role: 'operator' }));
    fixture = TestBed.createComponent(PromptQueuePageComponent);
    await settle();

    expect(root().querySelector('[data-testid="prompt-queue"]')?.getAttribute('aria-busy')).toBe('true');
    expect(root().querySelectorAll('.skeleton').length).toBeGreaterThan(0);
    expect(root().querySelector('[data-testid="queue-empty"]')).toBeNull();
  });
});
