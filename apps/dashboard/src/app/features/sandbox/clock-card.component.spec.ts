import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';

import type { SandboxClockView } from '@app/deck';

import { ClockCardComponent } from './clock-card.component';

function clock(now: string, frozen = false): SandboxClockView {
  return { object: 'sandbox_clock', now, frozen, scale: 1 };
}

describe(ClockCardComponent.name, () => {
  let fixture: ComponentFixture<ClockCardComponent>;
  let http: HttpTestingController;
  let root: HTMLElement;

  /** Lets the component's promise chain run (a macrotask), then renders. */
  async function settle(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
    fixture.detectChanges();
  }

  async function type(testId: string, value: string): Promise<void> {
    const input = root.querySelector<HTMLInputElement>(`[data-testid="${testId}"]`)!;
    input.value = value;
    input.dispatchEvent(new Event('input'));
    await settle();
  }

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [ClockCardComponent],
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(ClockCardComponent);
    root = fixture.nativeElement as HTMLElement;
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
