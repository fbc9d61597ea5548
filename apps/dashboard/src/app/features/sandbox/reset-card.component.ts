import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';

import { confirmAction } from '../../shared/confirm-dialog.component';
import { ActionResultComponent } from './action-result.component';
import { ActionState } from './action-state';
import { SandboxService, SandboxReset } from './sandbox.service';
import { SandboxStore } from './sandbox.store';

/** `{credentials: 3, task_runs: 5, orgs_x: 0}` → "3 credentials, 5 task runs". */
export function describeDeleted(deleted: Record<string, number>): string {
  const parts = Object.entries(deleted)
    .filter(([, count]) => count > 0)
    .sort(([, a], [, b]) => b - a)
    .map(([table, count]) => `${count} ${table.replace(/_/g, ' ')}`);
  return parts.length > 0 ? parts.join(', ') : 'nothing (it was empty)';
}

/** Section 7: the danger zone. */
@Component({
  selector: 'dh-reset-card',
  imports: [MatButtonModule, MatIconModule, ActionResultComponent],
  template: `
    <section class="panel danger-zone" aria-labelledby="reset-title" data-testid="reset-card">
      <h2 id="reset-title">
        <span class="material-icons" aria-hidden="true">warning</span>Danger zone: reset the sandbox organisation
      </h2>
      <p>
        Deletes everything the api's organisation has at the sandbox (credentials, runs, prompts, events, webhook
        destinations, deliveries, uploaded scenarios) and seeds it again: three sources, an agent and the "Verify login"
        task, all with new ids. The clock is not touched.
      </p>
      <p class="muted">What it does not do, so you are not surprised afterwards:</p>
      <ul class="muted">
        <li>
          The api's copy is not reset. The Credentials, Interactions and Events pages keep what they had: deleted
          credentials, runs and open prompts stay as they were, because the sandbox sends no event for what a reset
          deletes. Acting on them fails, since Deck no longer has them.
        </li>
        <li>
          Sources and the "Verify login" task get new ids and the api's webhook destination is deleted with the rest:
          the api registers its destination again and looks the new ids up at once, so what happens next arrives live.
        </li>
      </ul>
      <button
        mat-flat-button
        type="button"
        class="danger"
        (click)="resetOrganisation()"
        [disabled]="!!action.busy()"
        data-testid="reset-button"
      >
        <mat-icon aria-hidden="true">restart_alt</mat-icon>Reset the organisation…
      </button>
      <dh-action-result [state]="action" testId="reset-result" progressLabel="Resetting the organisation">
        @if (action.result(); as reset) {
          <p>Reset done. Deleted {{ deletedText(reset) }}; seeded again.</p>
        }
      </dh-action-result>
    </section>
  `,
  styles: `
    :host {
      display: block;
    }
    .danger-zone {
      border-color: #f2b8b3;
    }
    h2 {
      display: flex;
      align-items: center;
      gap: 8px;
      color: #8c1d18;
    }
    ul {
      margin-top: 0;
      padding-left: 20px;
    }
    li {
      margin-bottom: 6px;
    }
    .danger {
      --mat-button-filled-container-color: var(--dh-warn);
      --mat-button-filled-label-text-color: #fff;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ResetCardComponent {
  protected readonly action = new ActionState<SandboxReset>();

  private readonly sandbox = inject(SandboxService);
  private readonly store = inject(SandboxStore);
  private readonly dialog = inject(MatDialog);

  protected deletedText(reset: SandboxReset): string {
    return describeDeleted(reset.deleted);
  }

  protected async resetOrganisation(): Promise<void> {
    const confirmed = await confirmAction(this.dialog, {
      title: 'Reset the sandbox organisation?',
      message: 'This deletes every credential, run, event and upload in the sandbox and seeds it again',
      confirm: 'Reset',
      danger: true,
    });
    if (!confirmed) {
      return;
    }
    await this.action.run('Deleting everything and seeding again…', async () => {
      const reset = await this.sandbox.reset();
      this.store.afterReset();
      return reset;
    });
  }
}
