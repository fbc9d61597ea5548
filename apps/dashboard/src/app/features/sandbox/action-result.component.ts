import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatProgressBarModule } from '@angular/material/progress-bar';

import { ActionState } from './action-state';

/**
 * Under a Sandbox card's buttons: a progress bar while its action runs, then
 * (announced politely) what it is doing, what came of it, or why it failed.
 * A string result is said in green unless the card projects its own; a card
 * adds what goes under the failure sentence as `<ng-container ngProjectAs="failure-detail">`.
 */
@Component({
  selector: 'dh-action-result',
  imports: [MatProgressBarModule],
  template: `
    <div class="progress-slot">
      @if (state().busy(); as progress) {
        <mat-progress-bar
          mode="indeterminate"
          [attr.aria-label]="progressLabel() ?? progress"
          [attr.data-testid]="progressTestId()"
        />
      }
    </div>
    <div role="status" aria-live="polite" [attr.data-testid]="testId()">
      @if (state().busy(); as progress) {
        <p class="muted">{{ progress }}</p>
      }
      <ng-content>
        @if (state().result(); as text) {
          <p class="ok-text">{{ text }}</p>
        }
      </ng-content>
      @if (state().error(); as text) {
        <p class="error-text">{{ text }}</p>
      }
      <ng-content select="failure-detail" />
    </div>
  `,
  styles: `
    :host {
      display: contents;
    }
    .progress-slot {
      height: 4px;
      margin: 12px 0 4px;
    }
    .ok-text {
      color: var(--dh-good);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ActionResultComponent {
  readonly state = input.required<ActionState<unknown>>();
  /** The status region's data-testid. */
  readonly testId = input.required<string>();
  /** The progress bar's name; by default, what the action is doing. */
  readonly progressLabel = input<string | null>(null);
  readonly progressTestId = input<string | null>(null);
}
