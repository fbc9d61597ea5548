import { ChangeDetectionStrategy, Component, computed, effect, inject, signal, untracked } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, ValidatorFn, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';

import { DELIVERY_FAULT_NAMES, type DeliveryFaultName, type DeliveryFaults } from '@app/deck';

import { ConsoleInfoService } from '../../core/console/console-info.service';
import { ActionResultComponent } from './action-result.component';
import { ActionState } from './action-state';
import { describeSandboxProblem } from './sandbox-errors';
import { SandboxService } from './sandbox.service';
import { SandboxStore } from './sandbox.store';

interface FaultMeta {
  label: string;
  /** One sentence: what the receiver sees. */
  explain: string;
  kind: 'number' | 'flag';
  min?: number;
  max?: number;
  unit?: string;
}

/** Every fault the type has (a new one fails to compile until it is described here), with the sandbox's bounds. */
export const FAULTS: Record<DeliveryFaultName, FaultMeta> = {
  duplicate: {
    label: 'Duplicate copies',
    explain:
      'Each successful send is followed by this many identical copies (same webhook-id, timestamp and signature).',
    kind: 'number',
    min: 1,
    max: 5,
  },
  reorder_window_ms: {
    label: 'Reorder window',
    explain: 'First attempts are held until a window this long closes, then sent newest first.',
    kind: 'number',
    min: 1,
    max: 3_600_000,
    unit: 'ms',
  },
  delay_ms: {
    label: 'Delay',
    explain: 'Every first attempt waits this long (sandbox time) after its event.',
    kind: 'number',
    min: 1,
    max: 86_400_000,
    unit: 'ms',
  },
  drop_first: {
    label: 'Drop first attempts',
    explain: 'The first N attempts of each delivery are never sent; they count as failures and are retried.',
    kind: 'number',
    min: 1,
    max: 10,
  },
  fail_first: {
    label: 'Fail first attempts',
    explain: 'The first N attempts are sent but counted as failures, so the api sees retries of something it took.',
    kind: 'number',
    min: 1,
    max: 10,
  },
  bad_signature: {
    label: 'Bad signature',
    explain: 'Deliveries are signed with a wrong secret, so the api must refuse them with 401.',
    kind: 'flag',
  },
  stale_timestamp_s: {
    label: 'Stale timestamp',
    explain: 'Deliveries are signed with a timestamp this many seconds old (beyond 300 s the api refuses them).',
    kind: 'number',
    min: 1,
    max: 86_400,
    unit: 's',
  },
  dual_signature: {
    label: 'Dual signature',
    explain: 'A second, wrong v1 signature goes in front of the right one, as during a secret rotation.',
    kind: 'flag',
  },
  late_events: {
    label: 'Late events',
    explain:
      'New events are dated this far in the past (never before the same object’s last event), so the event list shows them below ones already read.',
    kind: 'number',
    min: 1,
    max: 3_600,
    unit: 's',
  },
};

const integer: ValidatorFn = (control) =>
  control.value === null || control.value === '' || Number.isInteger(Number(control.value)) ? null : { integer: true };

type FaultControls = Record<DeliveryFaultName, FormControl<number | boolean | null>>;

function buildForm(): FormGroup<FaultControls> {
  const controls = {} as FaultControls;
  for (const name of DELIVERY_FAULT_NAMES) {
    const meta = FAULTS[name];
    controls[name] =
      meta.kind === 'flag'
        ? new FormControl<boolean | null>(false)
        : new FormControl<number | null>(null, [integer, Validators.min(meta.min ?? 1), Validators.max(meta.max ?? 1)]);
  }
  return new FormGroup(controls);
}

/** Only the faults that are on: an empty number or an unticked box is no fault. */
function faultsFrom(form: FormGroup<FaultControls>): DeliveryFaults {
  const faults: Record<string, number | boolean> = {};
  for (const name of DELIVERY_FAULT_NAMES) {
    const value = form.controls[name].value;
    if (FAULTS[name].kind === 'flag') {
      if (value === true) {
        faults[name] = true;
      }
    } else if (value !== null && String(value) !== '') {
      faults[name] = Number(value);
    }
  }
  return faults;
}

/** "duplicate 2, bad signature", or "none". */
export function describeFaults(faults: DeliveryFaults | null): string {
  const on = DELIVERY_FAULT_NAMES.filter((name) => faults?.[name] !== undefined && faults?.[name] !== false);
  if (on.length === 0) {
    return 'none: deliveries go out normally';
  }
  return on
    .map((name) => {
      const value = faults?.[name];
      const meta = FAULTS[name];
      return meta.kind === 'flag'
        ? meta.label.toLowerCase()
        : `${meta.label.toLowerCase()} ${value}${meta.unit ? ` ${meta.unit}` : ''}`;
    })
    .join(', ');
}

/** Section 4: the delivery faults on the api's own webhook destination. */
@Component({
  selector: 'dh-faults-card',
  imports: [
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    ReactiveFormsModule,
    ActionResultComponent,
  ],
  templateUrl: './faults-card.component.html',
  styleUrl: './faults-card.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FaultsCardComponent {
  protected readonly names = DELIVERY_FAULT_NAMES;
  protected readonly meta = FAULTS;
  protected readonly form = buildForm();
  protected readonly destinationId = signal<string | null | undefined>(undefined);
  protected readonly current = signal<DeliveryFaults | null | undefined>(undefined);
  protected readonly loadError = signal<string | null>(null);
  protected readonly action = new ActionState();

  protected readonly destinationNote = computed(() => {
    const id = this.destinationId();
    return id ? ` (destination ${id}).` : '.';
  });
  protected readonly currentText = computed(() => {
    const current = this.current();
    return current === undefined ? null : describeFaults(current);
  });

  private readonly sandbox = inject(SandboxService);
  private readonly console = inject(ConsoleInfoService);
  private readonly store = inject(SandboxStore);

  constructor() {
    effect(() => {
      this.store.resets();
      untracked(() => void this.loadFaults());
    });
  }

  protected errorFor(name: DeliveryFaultName): string | null {
    const control = this.form.controls[name];
    if (!control.invalid) {
      return null;
    }
    const meta = this.meta[name];
    return `A whole number from ${meta.min} to ${meta.max?.toLocaleString('en')}, or empty for none.`;
  }

  protected async saveFaults(): Promise<void> {
    const id = this.destinationId();
    this.form.markAllAsTouched();
    if (!id || this.form.invalid) {
      this.action.refuse(id ? 'Fix the values marked above first.' : null);
      return;
    }
    const faults = faultsFrom(this.form);
    await this.action.run('Saving the faults…', async () => {
      const saved = await this.sandbox.setFaults(id, faults);
      this.show(saved.faults);
      return `Saved. Faults on the api's destination from the next send: ${describeFaults(saved.faults)}.`;
    });
  }

  protected async clearFaults(): Promise<void> {
    const id = this.destinationId();
    if (!id) {
      return;
    }
    await this.action.run('Clearing every fault…', async () => {
      const cleared = await this.sandbox.clearFaults(id);
      this.show(cleared.faults);
      return 'Cleared: deliveries to the api go out normally again.';
    });
  }

  private async loadFaults(): Promise<void> {
    this.loadError.set(null);
    const info = await this.console.load();
    const id = info?.webhook_destination_id ?? null;
    this.destinationId.set(id);
    if (!id) {
      this.current.set(null);
      return;
    }
    try {
      this.show((await this.sandbox.faults(id)).faults);
    } catch (error: unknown) {
      const failure = describeSandboxProblem(error);
      this.loadError.set(
        failure.status === 404
          ? `The sandbox no longer has the api's webhook destination ${id} (a reset deletes it). Restart the api so it registers a new one.`
          : failure.sentence,
      );
    }
  }

  private show(faults: DeliveryFaults | null): void {
    this.current.set(faults);
    const values: Record<string, number | boolean | null> = {};
    for (const name of DELIVERY_FAULT_NAMES) {
      const value = faults?.[name];
      values[name] = FAULTS[name].kind === 'flag' ? value === true : typeof value === 'number' ? value : null;
    }
    this.form.reset(values);
  }
}
