import { FormControl, Validators } from '@angular/forms';

import type { Role } from '@app/contracts';

/** As the api's CreateOperatorDto and UpdateOperatorDto require. */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 128;

/** A field for an operator's password, checked as the api checks it. */
export function operatorPasswordControl(): FormControl<string> {
  return new FormControl('', {
    nonNullable: true,
    validators: [
      Validators.required,
      Validators.minLength(MIN_PASSWORD_LENGTH),
      Validators.maxLength(MAX_PASSWORD_LENGTH),
    ],
  });
}

/** One sentence per role, as the api enforces them. */
export const ROLE_MEANINGS: Record<Role, string> = {
  viewer: 'Reads everything: credentials, prompts, events.',
  operator: 'Also answers prompts, verifies, updates and deletes credentials.',
  admin: 'Also manages operators and reads the audit log.',
};

/** "a viewer", "an operator", "an admin". */
export function withArticle(role: Role): string {
  return `${role === 'viewer' ? 'a' : 'an'} ${role}`;
}
