import { LowerCasePipe } from '@angular/common';
import {
  afterRenderEffect,
  ChangeDetectionStrategy,
  Component,
  computed,
  ElementRef,
  inject,
  input,
  output,
  untracked,
} from '@angular/core';
import {
  AbstractControl,
  FormControl,
  FormGroup,
  ReactiveFormsModule,
  ValidationErrors,
  Validators,
} from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';

import type { DeckInteraction } from '@app/deck';

import { fieldInput, FieldInput } from './field-input';

let nextFormId = 0;

/** Required, and spaces alone do not count: answers are sent trimmed. */
function notBlank(control: AbstractControl<unknown>): ValidationErrors | null {
  return typeof control.value === 'string' && control.value.trim() === '' ? { required: true } : null;
}

interface DrawnField {
  name: string;
  label: string;
  input: FieldInput;
}

/**
 * The answer form for one prompt, built from its `fields` (never its `type`,
 * which sources extend). Focus lands in the first field; Enter submits. The
 * prompt's message is Deck's text and is only ever shown as text.
 */
@Component({
  selector: 'dh-interaction-form',
  imports: [
    LowerCasePipe,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressSpinnerModule,
    ReactiveFormsModule,
  ],
  template: `
    <form
      [formGroup]="form()"
      (ngSubmit)="submit()"
      class="interaction-form"
      novalidate
      data-testid="interaction-form"
      [attr.aria-describedby]="messageId"
    >
      <p class="message" [id]="messageId" data-testid="prompt-message">{{ prompt().message }}</p>
      @for (field of fields(); track field.name) {
        @if (field.input.control === 'checkbox') {
          <mat-checkbox [formControlName]="field.name" [attr.data-field]="field.name">{{ field.label }}</mat-checkbox>
        } @else {
          <mat-form-field class="field">
            <mat-label>{{ field.label }}</mat-label>
            <input
              matInput
              [formControlName]="field.name"
              [type]="field.input.inputType"
              [attr.inputmode]="field.input.inputMode"
              [attr.autocomplete]="field.input.autocomplete"
              [attr.data-field]="field.name"
              [required]="field.input.required"
              (keydown.enter)="submitFromKeyboard($event)"
            />
            @if (form().controls[field.name].invalid && form().controls[field.name].touched) {
              <mat-error>Enter {{ field.label | lowercase }}.</mat-error>
            }
          </mat-form-field>
        }
      }
      @if (error()) {
        <p class="error-text" role="alert" data-testid="answer-error">{{ error() }}</p>
      }
      <div class="actions">
        <button mat-flat-button type="submit" [disabled]="busy()" data-testid="answer-submit">
          @if (busy()) {
            <mat-spinner diameter="18" aria-hidden="true" />
            Sending…
          } @else {
            {{ submitLabel() }}
          }
        </button>
      </div>
    </form>
  `,
  styles: `
    .interaction-form {
      display: flex;
      flex-direction: column;
      gap: 8px;
    }
    .message {
      margin: 0 0 4px;
      white-space: pre-line;
    }
    .field {
      width: 100%;
      max-width: 360px;
    }
    .actions {
      display: flex;
      gap: 8px;
    }
    .actions button {
      display: inline-flex;
      align-items: center;
      gap: 8px;
    }
    mat-spinner {
      display: inline-block;
      margin-right: 6px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class InteractionFormComponent {
  readonly prompt = input.required<DeckInteraction>();
  readonly busy = input(false);
  readonly error = input<string | null>(null);
  readonly submitLabel = input('Send answer');
  /** Focus the first field when the form appears (queue pages; off where several forms share a page). */
  readonly autofocus = input(true);
  readonly answer = output<Record<string, string>>();

  /** Ties the form to Deck's message, so a screen reader reads the question with the first field. */
  protected readonly messageId = `dh-prompt-message-${nextFormId++}`;
  protected readonly fields = computed<DrawnField[]>(() =>
    this.prompt().fields.map((field) => ({
      name: field.name,
      label: field.label || field.name,
      input: fieldInput(field),
    })),
  );
  protected readonly form = computed(
    () =>
      new FormGroup(
        Object.fromEntries(
          this.fields().map((field) => [
            field.name,
            field.input.control === 'checkbox'
              ? new FormControl<boolean | string>(false, { nonNullable: true })
              : new FormControl<boolean | string>('', {
                  nonNullable: true,
                  validators: field.input.required ? [notBlank, Validators.maxLength(500)] : [],
                }),
          ]),
        ),
      ),
  );

  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);

  constructor() {
    // A new prompt (a wrong answer re-prompts) is a new form: focus moves to its first field.
    afterRenderEffect(() => {
      this.form();
      if (untracked(this.autofocus)) {
        this.focusFirst();
      }
    });
  }

  /** Enter in a field submits, explicitly (not only by the browser's implicit submission), but not mid-composition. */
  protected submitFromKeyboard(event: Event): void {
    if ((event as KeyboardEvent).isComposing) {
      return;
    }
    event.preventDefault();
    this.submit();
  }

  protected submit(): void {
    const form = this.form();
    if (this.busy()) {
      return;
    }
    if (form.invalid) {
      form.markAllAsTouched();
      this.focusFirstInvalid();
      return;
    }
    const raw = form.getRawValue();
    this.answer.emit(
      Object.fromEntries(
        Object.entries(raw).map(([name, value]) => [name, typeof value === 'boolean' ? String(value) : value.trim()]),
      ),
    );
  }

  private focusFirst(): void {
    this.host.nativeElement.querySelector<HTMLElement>('input')?.focus();
  }

  private focusFirstInvalid(): void {
    const controls = this.form().controls;
    const invalid = this.fields().find((field) => controls[field.name].invalid);
    if (invalid) {
      [...this.host.nativeElement.querySelectorAll<HTMLElement>('input[data-field]')]
        .find((input) => input.dataset['field'] === invalid.name)
        ?.focus();
    }
  }
}
