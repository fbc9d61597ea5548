import { ChangeDetectionStrategy, Component, provideZonelessChangeDetection, signal } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';

import type { DeckInteraction, DeckInteractionField } from '@app/deck';

import { fieldInput } from './field-input';
import { InteractionFormComponent } from './interaction-form.component';

@Component({
  imports: [InteractionFormComponent],
  template: `<dh-interaction-form
    [prompt]="prompt()"
    [busy]="busy()"
    [error]="error()"
    [autofocus]="autofocus()"
    (answer)="answers.push($event)"
  />`,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
class HostComponent {
  readonly prompt = signal<DeckInteraction>({ type: 'mfa', message: 'Enter the code', fields: [] });
  readonly busy = signal(false);
  readonly error = signal<string | null>(null);
  readonly autofocus = signal(true);
  readonly answers: Record<string, string>[] = [];
}

function promptWith(fields: DeckInteractionField[], message = 'Answer the source'): DeckInteraction {
  return { type: 'mfa', message, fields };
}

describe(InteractionFormComponent.name, () => {
  let fixture: ComponentFixture<HostComponent>;
  let host: HostComponent;
  let root: HTMLElement;

  async function render(prompt: DeckInteraction, autofocus = true): Promise<void> {
    host.prompt.set(prompt);
    host.autofocus.set(autofocus);
    fixture.detectChanges();
    await fixture.whenStable();
  }

  function field(name: string): HTMLInputElement {
    const input = root.querySelector<HTMLInputElement>(`input[data-field="${name}"]`);
    if (!input) {
      throw new Error(`no input for field ${name}`);
    }
    return input;
  }

  function type(name: string, value: string): void {
    const input = field(name);
    input.value = value;
    input.dispatchEvent(new Event('input'));
  }

  function submitButton(): HTMLButtonElement {
    return root.querySelector<HTMLButtonElement>('[data-testid="answer-submit"]')!;
  }

  async function clickSubmit(): Promise<void> {
    submitButton().click();
    fixture.detectChanges();
    await fixture.whenStable();
  }

  beforeEach(() => {
    TestBed.configureTestingModule({
      imports: [HostComponent],
      providers: [provideZonelessChangeDetection()],
    });
    fixture = TestBed.createComponent(HostComponent);
    host = fixture.componentInstance;
    root = fixture.nativeElement as HTMLElement;
  });

  afterEach(() => fixture.destroy());

  describe('field types', () => {
    it.each([
      ['string', 'text', null, 'off'],
      ['text', 'text', null, 'off'],
      ['password', 'password', null, 'off'],
      ['secret', 'password', null, 'off'],
      ['number', 'text', 'numeric', 'one-time-code'],
      ['integer', 'text', 'numeric', 'one-time-code'],
      ['code', 'text', 'numeric', 'one-time-code'],
      ['otp', 'text', 'numeric', 'one-time-code'],
      ['email', 'email', 'email', 'off'],
      ['tel', 'tel', 'tel', 'off'],
      ['phone', 'tel', 'tel', 'off'],
      ['something_new', 'text', null, 'off'],
    ])('should draw a %s field as an <input type=%s> with inputmode %s', async (fieldType, inputType, mode, auto) => {
      await render(promptWith([{ name: 'value', type: fieldType, label: 'Value' }]));

      const input = field('value');
      expect(input.type).toBe(inputType);
      expect(input.getAttribute('inputmode')).toBe(mode);
      expect(input.getAttribute('autocomplete')).toBe(auto);
      expect(input.required).toBe(true);
    });

    it.each(['boolean', 'checkbox', 'BOOLEAN'])('should draw a %s field as a checkbox', async (fieldType) => {
      await render(promptWith([{ name: 'remember', type: fieldType, label: 'Remember this device' }]));

      const box = root.querySelector<HTMLInputElement>('[data-field="remember"] input[type="checkbox"]');
      expect(box).not.toBeNull();
      expect(root.textContent).toContain('Remember this device');
      expect(root.querySelector('input[data-field="remember"]')).toBeNull();
    });

    it('should treat an unknown type named "code" as a numeric one-time code', () => {
      expect(fieldInput({ name: 'code', type: 'mystery', label: 'Code' })).toEqual(
        expect.objectContaining({ control: 'text', inputType: 'text', inputMode: 'numeric', required: true }),
      );
    });

    it('should label a field with its name when Deck gives no label', async () => {
      await render(promptWith([{ name: 'answer', type: 'string', label: '' }]));

      expect(root.querySelector('mat-label')?.textContent?.trim()).toBe('answer');
    });
  });

  describe('validation', () => {
    it('should refuse to submit an empty required field, say so, and put the focus on it', async () => {
      await render(
        promptWith([
          { name: 'code', type: 'code', label: 'Code' },
          { name: 'answer', type: 'string', label: 'Your answer' },
        ]),
      );
      type('code', '123456');
      field('code').focus();

      await clickSubmit();

      expect(host.answers).toEqual([]);
      expect(root.textContent).toContain('Enter your answer.');
      expect(document.activeElement).toBe(field('answer'));
    });

    it('should count a value of only spaces as empty', async () => {
      await render(promptWith([{ name: 'answer', type: 'string', label: 'Answer' }]));
      type('answer', '   ');

      await clickSubmit();

      expect(host.answers).toEqual([]);
      expect(root.textContent).toContain('Enter answer.');
    });
  });

  describe('submit', () => {
    it('should emit the trimmed values keyed by field name, checkboxes as "true"/"false"', async () => {
      await render(
        promptWith([
          { name: 'code', type: 'code', label: 'Code' },
          { name: 'email', type: 'email', label: 'E-mail' },
          { name: 'remember', type: 'boolean', label: 'Remember' },
          { name: 'trust', type: 'checkbox', label: 'Trust' },
        ]),
      );
      type('code', ' 123456 ');
      type('email', 'ana@example.com ');
      root.querySelector<HTMLInputElement>('[data-field="remember"] input[type="checkbox"]')!.click();
      fixture.detectChanges();

      await clickSubmit();

      expect(host.answers).toEqual([{ code: '123456', email: 'ana@example.com', remember: 'true', trust: 'false' }]);
    });

    it('should submit when Enter is pressed in a field', async () => {
      await render(promptWith([{ name: 'code', type: 'code', label: 'Code' }]));
      type('code', '123456');

      const enter = new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true });
      field('code').dispatchEvent(enter);
      await fixture.whenStable();

      expect(host.answers).toEqual([{ code: '123456' }]);
      expect(enter.defaultPrevented).toBe(true);
    });

    it('should disable submit while busy and ignore Enter then', async () => {
      await render(promptWith([{ name: 'code', type: 'code', label: 'Code' }]));
      type('code', '123456');
      host.busy.set(true);
      fixture.detectChanges();
      await fixture.whenStable();

      expect(submitButton().disabled).toBe(true);
      expect(submitButton().textContent).toContain('Sending…');
      field('code').dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
      await fixture.whenStable();
      expect(host.answers).toEqual([]);
    });

    it('should show the error it is given', async () => {
      await render(promptWith([{ name: 'code', type: 'code', label: 'Code' }]));
      host.error.set('Deck is not answering right now.');
      fixture.detectChanges();
      await fixture.whenStable();

      const error = root.querySelector('[data-testid="answer-error"]');
      expect(error?.textContent).toContain('Deck is not answering right now.');
      expect(error?.getAttribute('role')).toBe('alert');
    });
  });

  describe('focus and new prompts', () => {
    it('should put the focus in the first field', async () => {
      await render(
        promptWith([
          { name: 'code', type: 'code', label: 'Code' },
          { name: 'answer', type: 'string', label: 'Answer' },
        ]),
      );

      expect(document.activeElement).toBe(field('code'));
    });

    it('should leave the focus alone when autofocus is off', async () => {
      await render(promptWith([{ name: 'code', type: 'code', label: 'Code' }]), false);

      expect(document.activeElement).not.toBe(field('code'));
    });

    it('should start a new prompt with an empty form and the focus in it (a wrong answer re-prompts)', async () => {
      await render(promptWith([{ name: 'code', type: 'code', label: 'Code' }], 'Enter the code'));
      type('code', '000000');
      await clickSubmit();
      expect(host.answers).toEqual([{ code: '000000' }]);
      field('code').blur();

      await render(promptWith([{ name: 'code', type: 'code', label: 'Code' }], 'That code was wrong. Try again.'));

      expect(field('code').value).toBe('');
      expect(root.querySelector('[data-testid="prompt-message"]')?.textContent).toBe('That code was wrong. Try again.');
      expect(document.activeElement).toBe(field('code'));
      await clickSubmit();
      expect(host.answers).toHaveLength(1);
      expect(root.textContent).toContain('Enter code.');
    });
  });

  it('should show a message with HTML in it as text, never as markup', async () => {
    const message = '<img src=x onerror=alert(1)> <b>bold</b>';
    await render(promptWith([{ name: 'code', type: 'code', label: '<i>Code</i>' }], message));

    expect(root.querySelector('[data-testid="prompt-message"]')?.textContent).toBe(message);
    expect(root.querySelector('img')).toBeNull();
    expect(root.querySelector('b')).toBeNull();
    expect(root.querySelector('i')).toBeNull();
    expect(root.querySelector('mat-label')?.textContent).toContain('<i>Code</i>');
  });
});
