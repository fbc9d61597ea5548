import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';

import { HealthService } from '../core/health/health.service';

/** Deck reachable, webhook destination active, catch-up lag: one glance in the header, details on demand. */
@Component({
  selector: 'dh-health-indicator',
  imports: [MatButtonModule, MatIconModule, MatMenuModule],
  template: `
    <button
      mat-button
      type="button"
      [matMenuTriggerFor]="details"
      data-testid="health-indicator"
      [attr.aria-label]="'System health: ' + look().text"
    >
      <mat-icon aria-hidden="true" [class]="look().tone">{{ look().icon }}</mat-icon>
      <span [class.wide]="look().tone !== 'bad'">{{ look().text }}</span>
    </button>
    <mat-menu #details="matMenu" class="health-menu">
      @for (item of health.items(); track item.key) {
        <div mat-menu-item disabled class="health-line" [attr.data-testid]="'health-' + item.key">
          <mat-icon aria-hidden="true" [class.good]="item.ok" [class.bad]="!item.ok">{{
            item.ok ? 'check_circle' : 'error'
          }}</mat-icon>
          <span
            ><strong>{{ item.label }}</strong> — {{ item.ok ? 'OK' : 'Problem' }}: {{ item.detail }}</span
          >
        </div>
      } @empty {
        <div mat-menu-item disabled>No health report yet.</div>
      }
    </mat-menu>
  `,
  styles: `
    :host {
      display: inline-flex;
    }
    .good {
      color: #a5e8b4;
    }
    .bad {
      color: #ffb4a9;
    }
    .health-line {
      opacity: 1;
      white-space: normal;
      height: auto;
      min-height: 48px;
    }
    .health-line .good {
      color: #1b6e35;
    }
    .health-line .bad {
      color: #b3261e;
    }
    @media (max-width: 720px) {
      .wide {
        display: none;
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class HealthIndicatorComponent {
  protected readonly health = inject(HealthService);
  protected readonly look = computed(() => {
    if (this.health.unreachable()) {
      return { icon: 'cloud_off', text: 'Server unreachable', tone: 'bad' };
    }
    if (!this.health.report()) {
      return { icon: 'hourglass_empty', text: 'Checking', tone: '' };
    }
    return this.health.healthy()
      ? { icon: 'check_circle', text: 'Healthy', tone: 'good' }
      : { icon: 'warning', text: 'Needs attention', tone: 'bad' };
  });
}
