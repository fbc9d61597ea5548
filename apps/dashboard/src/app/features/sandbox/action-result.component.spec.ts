import { ChangeDetectionStrategy, Component, provideZonelessChangeDetection } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';

import { ActionResultComponent } from './action-result.component';
import { ActionState } from './action-state';

@Component({
  imports: [ActionResultComponent],
  template: `
    <dh-action-result [state]="plain" testId="plain-result" progressTestId="plain-progress" />
    <dh-action-result [state]="own" testId="own-result" progressLabel="Resetting">
      @if (own.result(); as count) {
        <p class="own">Deleted {{ count }}.</p>
      }
      <ng-container ngProjectAs="failure-detail"><p class="detail">More about it.</p></ng-container>
    </dh-action-result>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
class HostComponent {
  readonly plain = new ActionState();
  readonly own = new ActionState<number>();
}

describe(ActionResultComponent.name, () => {
  let fixture: ComponentFixture<HostComponent>;
  let host: HostComponent;
  let root: HTMLElement;

  function status(testId: string): HTMLElement {
    return root.querySelector<HTMLElement>(`[role="status"][data-testid="${testId}"]`)!;
  }

  async function settle(): Promise<void> {
    await fixture.whenStable();
    fixture.detectChanges();
  }

  beforeEach(async () => {
    TestBed.configureTestingModule({ imports: [HostComponent], providers: [provideZonelessChangeDetection()] });
    fixture = TestBed.createComponent(HostComponent);
    host = fixture.componentInstance;
    root = fixture.nativeElement as HTMLElement;
    await settle();
  });

  it('should show a progress bar named after what is being done, and say it politely', async () => {
    host.plain.busy.set('Freezing the clock…');
    await settle();

    const bar = root.querySelector('[data-testid="plain-progress"]')!;
    expect(bar.getAttribute('aria-label')).toBe('Freezing the clock…');
    expect(status('plain-result').getAttribute('aria-live')).toBe('polite');
    expect(status('plain-result').querySelector('p.muted')?.textContent).toBe('Freezing the clock…');
  });

  it('should say a text result in green, and a failure in words', async () => {
    host.plain.result.set('Frozen.');
    await settle();
    expect(status('plain-result').querySelector('p.ok-text')?.textContent).toBe('Frozen.');

    host.plain.result.set(null);
    host.plain.refuse('The sandbox is not answering.');
    await settle();
    expect(status('plain-result').querySelector('p.ok-text')).toBeNull();
    expect(status('plain-result').querySelector('p.error-text')?.textContent).toBe('The sandbox is not answering.');
  });

  it("should show the card's own result, its name for the progress bar, and detail under the failure", async () => {
    host.own.busy.set('Deleting everything…');
    await settle();
    expect(root.querySelectorAll('mat-progress-bar')[0].getAttribute('aria-label')).toBe('Resetting');

    host.own.busy.set(null);
    host.own.result.set(3);
    await settle();
    expect(status('own-result').querySelector('p.own')?.textContent).toBe('Deleted 3.');
    expect(status('own-result').querySelector('p.ok-text')).toBeNull();

    host.own.refuse('Refused.');
    await settle();
    const texts = [...status('own-result').querySelectorAll('p')].map((p) => p.className);
    expect(texts).toEqual(['own', 'error-text', 'detail']);
  });
});
