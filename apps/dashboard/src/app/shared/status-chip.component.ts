import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

/** Icon, word and colour per status: the word and icon carry the meaning, colour only helps. */
const LOOK: Record<string, { icon: string; tone: 'good' | 'bad' | 'wait' | 'neutral' | 'info' }> = {
  verified: { icon: 'check_circle', tone: 'good' },
  invalid: { icon: 'error', tone: 'bad' },
  unverified: { icon: 'schedule', tone: 'wait' },
  deleted: { icon: 'delete', tone: 'neutral' },
  queued: { icon: 'schedule', tone: 'wait' },
  running: { icon: 'autorenew', tone: 'info' },
  interaction_required: { icon: 'question_answer', tone: 'wait' },
  review_required: { icon: 'rate_review', tone: 'wait' },
  completed: { icon: 'check_circle', tone: 'good' },
  failed: { icon: 'error', tone: 'bad' },
  canceling: { icon: 'cancel', tone: 'neutral' },
  cancelling: { icon: 'cancel', tone: 'neutral' },
  canceled: { icon: 'cancel', tone: 'neutral' },
  open: { icon: 'question_answer', tone: 'wait' },
  answered: { icon: 'check', tone: 'good' },
  expired: { icon: 'timer_off', tone: 'bad' },
  superseded: { icon: 'redo', tone: 'neutral' },
  applied: { icon: 'check', tone: 'good' },
  stale: { icon: 'history', tone: 'neutral' },
  held: { icon: 'pause_circle', tone: 'bad' },
  success: { icon: 'check_circle', tone: 'good' },
  failure: { icon: 'error', tone: 'bad' },
};

/** A status as a chip: `interaction_required` reads "interaction required". */
@Component({
  selector: 'dh-status-chip',
  template: `<span class="chip" [class]="'chip tone-' + look().tone" [attr.data-status]="status()"
    ><span class="material-icons" aria-hidden="true">{{ look().icon }}</span
    >{{ label() }}</span
  >`,
  styles: `
    .chip {
      display: inline-flex;
      align-items: center;
      gap: 4px;
      padding: 2px 10px 2px 6px;
      border-radius: 12px;
      font-size: 13px;
      line-height: 20px;
      font-weight: 500;
      white-space: nowrap;
      border: 1px solid transparent;
    }
    .chip .material-icons {
      font-size: 16px;
    }
    .tone-good {
      background: #e3f4e8;
      color: #14532d;
      border-color: #a7d7b5;
    }
    .tone-bad {
      background: #fde8e6;
      color: #8c1d18;
      border-color: #f2b8b3;
    }
    .tone-wait {
      background: #fff4d6;
      color: #6b4a00;
      border-color: #f0d48a;
    }
    .tone-info {
      background: #e3eefc;
      color: #0b3d75;
      border-color: #a9c7ef;
    }
    .tone-neutral {
      background: #eceff3;
      color: #3b4350;
      border-color: #cfd5dc;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class StatusChipComponent {
  readonly status = input.required<string>();
  protected readonly look = computed(() => LOOK[this.status()] ?? { icon: 'info', tone: 'neutral' as const });
  protected readonly label = computed(() => this.status().replace(/_/g, ' '));
}
