import type { DeckInteractionField } from '@app/deck';

/** How one prompt field is drawn; chosen from the field's `type`, with text for anything unknown. */
export interface FieldInput {
  control: 'text' | 'checkbox';
  /** The `<input type>`. */
  inputType: 'text' | 'password' | 'email' | 'tel';
  inputMode: 'text' | 'numeric' | 'email' | 'tel' | null;
  autocomplete: string;
  /** Whether an empty value is refused (a checkbox always has one). */
  required: boolean;
}

/**
 * Sources add field types over time, so this never fails on one it does not
 * know: it becomes a text box, which can answer anything.
 */
export function fieldInput(field: DeckInteractionField): FieldInput {
  const type = field.type.toLowerCase();
  const name = field.name.toLowerCase();
  switch (type) {
    case 'password':
    case 'secret':
      return { control: 'text', inputType: 'password', inputMode: null, autocomplete: 'off', required: true };
    case 'number':
    case 'integer':
    case 'digits':
    case 'otp':
    case 'code':
      return {
        control: 'text',
        inputType: 'text',
        inputMode: 'numeric',
        autocomplete: 'one-time-code',
        required: true,
      };
    case 'email':
      return { control: 'text', inputType: 'email', inputMode: 'email', autocomplete: 'off', required: true };
    case 'tel':
    case 'phone':
      return { control: 'text', inputType: 'tel', inputMode: 'tel', autocomplete: 'off', required: true };
    case 'boolean':
    case 'checkbox':
      return { control: 'checkbox', inputType: 'text', inputMode: null, autocomplete: 'off', required: false };
    default:
      return {
        control: 'text',
        inputType: 'text',
        inputMode: name === 'code' ? 'numeric' : null,
        autocomplete: name === 'code' ? 'one-time-code' : 'off',
        required: true,
      };
  }
}
