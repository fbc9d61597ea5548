import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture } from '@angular/core/testing';

import { DELIVERY_FAULT_NAMES } from '@app/deck';

import { createSandboxCard, settleCard } from '../../../testing/sandbox-card';
import { FaultsCardComponent } from './faults-card.component';

const FAULTS_URL = '/api/sandbox/event-destinations/evtd_api/faults';

describe(FaultsCardComponent.name, () => {
  let fixture: ComponentFixture<FaultsCardComponent>;
  let http: HttpTestingController;
  let root: HTMLElement;

  const settle = (): Promise<void> => settleCard(fixture);

  function field(name: string): HTMLInputElement {
    return root.querySelector<HTMLInputElement>(
      `[data-testid="fault-${name}"] input, input[data-testid="fault-${name}"]`,
    )!;
  }

  beforeEach(async () => {
    ({ fixture, http, root } = createSandboxCard(FaultsCardComponent));
    fixture.detectChanges();
    http.expectOne('/api/console').flush({ sandbox: true, webhook_destination_id: 'evtd_api' });
    await settle();
    http.expectOne(FAULTS_URL).flush({ id: 'evtd_api', faults: { duplicate: 2, bad_signature: true } });
    await settle();
  });

  afterEach(() => http.verify());

  it('should have a field for every fault, filled with what is set now', () => {
    for (const name of DELIVERY_FAULT_NAMES) {
      expect(root.querySelector(`[data-fault="${name}"]`)).not.toBeNull();
    }
    expect(field('duplicate').value).toBe('2');
    expect(field('bad_signature').checked).toBe(true);
    expect(root.querySelector('[data-testid="faults-current"]')!.textContent).toContain(
      'duplicate copies 2, bad signature',
    );
  });

  it('should save only the faults that are on', async () => {
    field('duplicate').value = '';
    field('duplicate').dispatchEvent(new Event('input'));
    field('drop_first').value = '2';
    field('drop_first').dispatchEvent(new Event('input'));
    await settle();
    root.querySelector<HTMLElement>('[data-testid="faults-save"]')!.click();
    await settle();

    const put = http.expectOne({ method: 'PUT', url: FAULTS_URL });
    expect(put.request.body).toEqual({ drop_first: 2, bad_signature: true });
    put.flush({ id: 'evtd_api', faults: { drop_first: 2, bad_signature: true } });
    await settle();

    expect(root.querySelector('[data-testid="faults-result"]')!.textContent).toContain('Saved.');
  });

  it('should refuse a value out of bounds without sending it', async () => {
    field('duplicate').value = '9';
    field('duplicate').dispatchEvent(new Event('input'));
    await settle();
    root.querySelector<HTMLElement>('[data-testid="faults-save"]')!.click();
    await settle();

    http.expectNone({ method: 'PUT', url: FAULTS_URL });
    expect(root.textContent).toContain('A whole number from 1 to 5');
  });

  it('should clear every fault', async () => {
    root.querySelector<HTMLElement>('[data-testid="faults-clear"]')!.click();
    await settle();

    http.expectOne({ method: 'DELETE', url: FAULTS_URL }).flush({ id: 'evtd_api', faults: null });
    await settle();

    expect(root.querySelector('[data-testid="faults-result"]')!.textContent).toContain('Cleared');
    expect(field('bad_signature').checked).toBe(false);
  });
});
