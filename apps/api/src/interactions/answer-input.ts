import type { ApiFieldError } from '@app/contracts';
import type { DeckInteraction } from '@app/deck';

export const MAX_ANSWER_FIELDS = 10;
export const MAX_ANSWER_LENGTH = 1000;

/**
 * The answer's shape, whatever the prompt: at most 10 values, each text of at
 * most 1000 characters. Messages name the field and never echo the value.
 */
export function checkAnswerShape(input: Readonly<Record<string, unknown>>): ApiFieldError[] {
  const entries = Object.entries(input);
  if (entries.length > MAX_ANSWER_FIELDS) {
    return [{ field: 'input', message: `input has more than ${MAX_ANSWER_FIELDS} fields` }];
  }
  return entries.flatMap(([name, value]): ApiFieldError[] => {
    if (typeof value !== 'string') {
      return [{ field: `input.${name}`, message: `input.${name} must be text` }];
    }
    if (value.length > MAX_ANSWER_LENGTH) {
      return [{ field: `input.${name}`, message: `input.${name} must be at most ${MAX_ANSWER_LENGTH} characters` }];
    }
    return [];
  });
}

/**
 * Exactly the prompt's fields, each with a non-blank value. Deck's field names
 * are data: they are compared through a Set and never used as keys of a plain
 * object, so `__proto__` or `constructor` cannot reach a prototype.
 */
export function checkAnswerFields(prompt: DeckInteraction, input: Readonly<Record<string, unknown>>): ApiFieldError[] {
  const given = new Map<string, unknown>(Object.entries(input));
  const expected = new Set(prompt.fields.map((field) => field.name));
  const missing = [...expected]
    .filter((name) => {
      const value = given.get(name);
      return typeof value !== 'string' || value.trim() === '';
    })
    .map((name) => ({ field: `input.${name}`, message: `input.${name} is required` }));
  const unknown = [...given.keys()]
    .filter((name) => !expected.has(name))
    .map((name) => ({ field: `input.${name}`, message: `input.${name} is not a field of this prompt` }));
  return [...missing, ...unknown];
}

/** What goes to Deck: a fresh map of exactly the prompt's fields (own properties only). */
export function answerFor(prompt: DeckInteraction, input: Readonly<Record<string, unknown>>): Record<string, string> {
  const given = new Map<string, unknown>(Object.entries(input));
  // Object.fromEntries defines own properties, so even a field named `__proto__` stays plain data.
  return Object.fromEntries(prompt.fields.map((field) => [field.name, String(given.get(field.name))]));
}
