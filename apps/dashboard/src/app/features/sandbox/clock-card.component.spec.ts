import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture } from '@angular/core/testing';

import type { SandboxClockView } from '@app/deck';

import { createSandboxCard, settleCard } from '../../../testing/sandbox-card';
import { ClockCardComponent } from './clock-card.component';

function clock(now: string, frozen = false): SandboxClockView {
  return { object: 'sandbox_clock', now, frozen, scale: 1 };
}

describe(ClockCardComponent.name, () => {
  let fixture: ComponentFixture<ClockCardComponent>;
  let http: HttpTestingController;
  let root: HTMLElement;

  const settle = (): Promise<void> => settleCard(fixture);

  async function type(testId: string, value: string): Promise<void> {
    const input = root.querySelector<HTMLInputElement>(`[data-testid="${testId}"]`)!;
    input.value = value;
    input.dispatchEvent(new Event('input'));
    await settle();
  }

  beforeEach(async () => {
    ({ fixture, http, root } = createSandboxCard(ClockCardComponent));
    fixture.detectChanges();
    await new Promise((resolve) => setTimeout(resolve));
    http.expectOne('/api/sandbox/clock').flush(clock('2026-12-01T09:00:00.000Z', true));
    await settle();
  });

  afterEach(() => {
    fixture.destroy();
    http.verify();
  });

  it('should show sandbox time and whether it is frozen, in words', () => {
    expect(root.querySelector('[data-testid="clock-now"]')!.getAttribute('datetime')).toBe('2026-12-01T09:00:00.000Z');
    expect(root.querySelector('[data-testid="clock-state"]')!.textContent).toContain('Frozen');
    expect(root.querySelector<HTMLButtonElement>('[data-testid="clock-freeze"]')!.disabled).toBe(true);
    expect(root.querySelector<HTMLButtonElement>('[data-testid="clock-resume"]')!.disabled).toBe(false);
  });

  it('should refuse a duration the sandbox would refuse, without asking it', async () => {
    await type('clock-advance-input', '10 minutes');
    root.querySelector<HTMLElement>('[data-testid="clock-advance"]')!.click();
    await settle();

    http.expectNone('/api/sandbox/clock/advance');
    expect(root.querySelector('[data-testid="clock-advance-error"]')!.textContent).toContain('a number and a unit');
  });

  it('should advance the clock, showing progress and then the result', async () => {
    await type('clock-advance-input', ' 1h30m ');
    root.querySelector<HTMLElement>('[data-testid="clock-advance"]')!.click();
    await settle();

    const advance = http.expectOne({ method: 'POST', url: '/api/sandbox/clock/advance' });
    expect(advance.request.body).toEqual({ by: '1h30m' });
    expect(root.querySelector('[data-testid="clock-result"]')!.textContent).toContain(
      'Moving the clock 1 hour 30 minutes forward',
    );
    expect(root.querySelector('[data-testid="clock-progress"]')).not.toBeNull();
    advance.flush(clock('2026-12-01T10:30:00.000Z', true));
    await settle();
    http.expectOne('/api/sandbox/clock').flush(clock('2026-12-01T10:30:00.000Z', true));
    await settle();

    expect(root.querySelector('[data-testid="clock-result"]')!.textContent).toContain(
      'Moved 1 hour 30 minutes forward',
    );
    expect(root.querySelector('[data-testid="clock-now"]')!.getAttribute('datetime')).toBe('2026-12-01T10:30:00.000Z');
  });
});
