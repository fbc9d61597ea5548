import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatTooltipModule } from '@angular/material/tooltip';

import { RealtimeService } from '../core/realtime/realtime.service';

const LABELS = {
  live: { text: 'Live', icon: 'wifi', hint: 'Changes appear as they happen.' },
  connecting: { text: 'Connecting', icon: 'sync', hint: 'Connecting to live updates…' },
  reconnecting: {
    text: 'Reconnecting',
    icon: 'sync_problem',
    hint: 'Connection lost; trying again. Nothing will be missed.',
  },
  offline: { text: 'Offline', icon: 'wifi_off', hint: 'Not receiving live updates. Select to try again.' },
} as const;

/** Says whether what the operator sees is live; an icon and a word, never colour alone. */
@Component({
  selector: 'dh-connection-indicator',
  imports: [MatButtonModule, MatIconModule, MatTooltipModule],
  template: `
    <button
      mat-button
      type="button"
      class="indicator"
      [class]="'indicator state-' + realtime.status()"
      [matTooltip]="label().hint"
      [attr.aria-label]="'Live updates: ' + label().text + '. ' + label().hint"
      data-testid="connection-indicator"
      [attr.data-state]="realtime.status()"
      (click)="reconnect()"
    >
      <mat-icon aria-hidden="true">{{ label().icon }}</mat-icon>
      <span>{{ label().text }}</span>
    </button>
  `,
  styles: `
    .state-live mat-icon {
      color: #a5e8b4;
    }
    .state-reconnecting mat-icon,
    .state-connecting mat-icon {
      color: #ffe08a;
    }
    .state-offline mat-icon {
      color: #ffb4a9;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ConnectionIndicatorComponent {
  protected readonly realtime = inject(RealtimeService);
  protected readonly label = computed(() => LABELS[this.realtime.status()]);

  protected reconnect(): void {
    if (this.realtime.status() !== 'live') {
      this.realtime.reconnect();
    }
  }
}
