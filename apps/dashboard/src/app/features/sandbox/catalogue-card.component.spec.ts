import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';

import type { CredentialView, SourceView } from '@app/contracts';
import type { ScenarioView } from '@app/deck';

import { createSandboxCard, settleCard } from '../../../testing/sandbox-card';
import { aCredential } from '../../../testing/views';
import { CatalogueCardComponent } from './catalogue-card.component';
import { SandboxStore } from './sandbox.store';

const SCENARIOS: Partial<ScenarioView>[] = [
  { name: 'user_good', description: 'Verifies.', origin: 'built-in' },
  { name: 'user_mfa', description: 'Asks for a 6-digit code (123456).', origin: 'built-in' },
  { name: 'payroll', description: 'Breaks later.', origin: 'uploaded' },
];
const SOURCES: SourceView[] = [{ id: 'src_bank', name: 'Example Bank', url: '' }];

/** What the api answers to the create: the credential for qa-anna. */
function credential(): CredentialView {
  return aCredential({ id: 'c_42', deck_id: 'cred_42', external_id: 'qa-anna', username_hint: 'us***fa' });
}

describe(CatalogueCardComponent.name, () => {
  let fixture: ComponentFixture<CatalogueCardComponent>;
  let http: HttpTestingController;
  let root: HTMLElement;

  const settle = (): Promise<void> => settleCard(fixture);

  function click(testId: string): void {
    root.querySelector<HTMLElement>(`[data-testid="${testId}"]`)!.click();
  }

  beforeEach(async () => {
    ({ fixture, http, root } = createSandboxCard(CatalogueCardComponent));
    const store = TestBed.inject(SandboxStore);
    const loading = Promise.all([store.loadScenarios(), store.loadSources()]);
    http.expectOne('/api/sandbox/scenarios').flush({ object: 'list', data: SCENARIOS });
    http.expectOne('/api/sources').flush(SOURCES);
    await loading;
    await settle();
  });

  afterEach(() => http.verify());

  it('should list every username of the catalogue with what it does', () => {
    const options = [...root.querySelectorAll('[data-testid="catalogue-picker"] [data-username]')];

    expect(options.map((o) => o.getAttribute('data-username'))).toEqual(['user_good', 'user_mfa', 'payroll', 'other']);
    expect(root.querySelector('[data-username="user_mfa"]')!.textContent).toContain('Asks for a 6-digit code');
    expect(root.querySelector('[data-username="payroll"]')!.textContent).toContain('uploaded');
  });

  it("should create the credential through the api's flow, start its verification and link to it", async () => {
    root.querySelector<HTMLElement>('[data-username="user_mfa"] input')!.click();
    const externalId = root.querySelector<HTMLInputElement>('[data-testid="catalogue-external-id"]')!;
    externalId.value = 'qa-anna';
    externalId.dispatchEvent(new Event('input'));
    await settle();

    click('catalogue-create');
    await settle();
    const create = http.expectOne({ method: 'POST', url: '/api/credentials' });
    expect(create.request.body).toEqual({
      source_id: 'src_bank',
      username: 'user_mfa',
      password: 'sandbox',
      external_id: 'qa-anna',
    });
    expect(create.request.headers.get('Idempotency-Key')).toBeTruthy();
    create.flush(credential());
    await settle();

    http.expectOne({ method: 'POST', url: '/api/credentials/c_42/verify' }).flush({ id: 'r_1' });
    await settle();

    const result = root.querySelector('[data-testid="catalogue-result"]')!;
    expect(result.textContent).toContain('Created');
    expect(result.textContent).toContain('started its verification');
    expect(result.querySelector('a')!.getAttribute('href')).toBe('/credentials/c_42');
  });

  it('should make up an external id when none is given', async () => {
    click('catalogue-create');
    await settle();

    const create = http.expectOne({ method: 'POST', url: '/api/credentials' });
    expect(create.request.body.external_id).toMatch(/^qa-user_mfa-\w{4}$/);
    create.flush(credential());
    await settle();
    http.expectOne('/api/credentials/c_42/verify').flush({ id: 'r_1' });
    await settle();
  });

  it("should show the api's refusal in words and create nothing more", async () => {
    click('catalogue-create');
    await settle();

    http.expectOne({ method: 'POST', url: '/api/credentials' }).flush(
      {
        statusCode: 400,
        code: 'validation_failed',
        message: 'The request is not valid.',
        details: [{ field: 'source_id', message: 'source_id is not a Deck source' }],
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await settle();

    expect(root.querySelector('[data-testid="catalogue-result"]')!.textContent).toContain(
      'source_id is not a Deck source.',
    );
    expect(root.querySelector('[data-testid="catalogue-result"] a')).toBeNull();
  });

  it('should keep the created credential and offer to start its verification again when that failed', async () => {
    click('catalogue-create');
    await settle();
    http.expectOne({ method: 'POST', url: '/api/credentials' }).flush(credential());
    await settle();
    http.expectOne('/api/credentials/c_42/verify').flush(
      {
        statusCode: 404,
        code: 'not_found',
        message: 'Deck does not know that object (task_not_found).',
        details: [],
      },
      { status: 404, statusText: 'Not Found' },
    );
    await settle();

    const result = root.querySelector('[data-testid="catalogue-result"]')!;
    expect(result.textContent).toContain('The credential was created, but its verification did not start');
    expect(result.querySelector('a')!.getAttribute('href')).toBe('/credentials/c_42');

    click('catalogue-verify-retry');
    await settle();
    http.expectOne({ method: 'POST', url: '/api/credentials/c_42/verify' }).flush({ id: 'r_2' });
    await settle();

    expect(result.textContent).toContain('started its verification');
    expect(root.querySelector('[data-testid="catalogue-verify-retry"]')).toBeNull();
  });
});
