import { HttpTestingController, TestRequest } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { MatSelectHarness } from '@angular/material/select/testing';

import type { AuditEntryView, OperatorView, Page } from '@app/contracts';

import { SessionService } from '../../core/auth/session.service';
import { providePageTesting } from '../../../testing/page-testing';
import { OperatorsPageComponent } from './operators-page.component';

const me: OperatorView = {
  id: 'op-1',
  email: 'admin@deckhand.local',
  role: 'admin',
  created_at: '2026-01-01T00:00:00.000Z',
};
const other: OperatorView = {
  id: 'op-2',
  email: 'second@deckhand.local',
  role: 'admin',
  created_at: '2026-01-02T00:00:00.000Z',
};
const viewer: OperatorView = {
  id: 'op-3',
  email: 'viewer@deckhand.local',
  role: 'viewer',
  created_at: '2026-01-03T00:00:00.000Z',
};

const noAudit: Page<AuditEntryView> = { data: [], has_more: false, next_cursor: null };

describe(OperatorsPageComponent.name, () => {
  let fixture: ComponentFixture<OperatorsPageComponent>;
  let http: HttpTestingController;

  function element(): HTMLElement {
    return fixture.nativeElement as HTMLElement;
  }

  function row(email: string): HTMLElement {
    return element().querySelector<HTMLElement>(`[data-testid="operator-row"][data-email="${email}"]`)!;
  }

  async function settle(): Promise<void> {
    await fixture.whenStable();
    fixture.detectChanges();
    await fixture.whenStable();
  }

  async function open(operators: OperatorView[], audit = noAudit): Promise<void> {
    fixture = TestBed.createComponent(OperatorsPageComponent);
    fixture.detectChanges();
    http.expectOne('/api/operators').flush(operators);
    http.expectOne((r) => r.url === '/api/audit').flush(audit);
    await settle();
  }

  async function roleSelect(email: string): Promise<MatSelectHarness> {
    const loader = TestbedHarnessEnvironment.loader(fixture);
    return loader.getHarness(
      MatSelectHarness.with({ selector: `[data-testid="operator-row"][data-email="${email}"] mat-select` }),
    );
  }

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: providePageTesting(),
    });
    http = TestBed.inject(HttpTestingController);
    TestBed.inject(SessionService).operator.set(me);
  });

  afterEach(() => http.verify());

  it('should mark the signed-in operator and not offer what the api refuses for them', async () => {
    await open([me, viewer]);

    expect(row(me.email).textContent).toContain('you');
    expect(row(me.email).querySelector<HTMLButtonElement>('[data-testid="operator-remove"]')!.disabled).toBe(true);
    expect(await (await roleSelect(me.email)).isDisabled()).toBe(true);
    expect(row(viewer.email).querySelector<HTMLButtonElement>('[data-testid="operator-remove"]')!.disabled).toBe(false);
    expect(await (await roleSelect(viewer.email)).isDisabled()).toBe(false);
  });

  it('should change a role and say so', async () => {
    await open([me, viewer]);
    const select = await roleSelect(viewer.email);

    await select.open();
    await select.clickOptions({ text: /^operator/ });
    const patch: TestRequest = http.expectOne('/api/operators/op-3');
    expect(patch.request.method).toBe('PATCH');
    expect(patch.request.body).toEqual({ role: 'operator' });
    patch.flush({ ...viewer, role: 'operator' });
    await settle();
    http.expectOne((r) => r.url === '/api/audit').flush(noAudit);
    await settle();

    expect(element().querySelector('[data-testid="operators-notice"]')?.textContent).toContain(
      'viewer@deckhand.local is now an operator.',
    );
    expect(await select.getValueText()).toMatch(/^operator/);
  });

  it("should put the select back and show the api's message when the change is refused (409)", async () => {
    await open([me, other]);
    const select = await roleSelect(other.email);

    await select.open();
    await select.clickOptions({ text: /^viewer/ });
    http
      .expectOne('/api/operators/op-2')
      .flush(
        { code: 'conflict', message: 'The last admin cannot be demoted.' },
        { status: 409, statusText: 'Conflict' },
      );
    await settle();

    expect(element().querySelector('[data-testid="operators-error"]')?.textContent).toContain(
      'The last admin cannot be demoted.',
    );
    expect(await select.getValueText()).toMatch(/^admin/);
  });
});
