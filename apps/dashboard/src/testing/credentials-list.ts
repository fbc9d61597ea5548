import type { CredentialView } from '@app/contracts';

import { aCredential } from './views';

/*
 * The credentials list's specs (the page and its store) share a timeline:
 * credentials are made at T0 and last changed at T1, so a change at T2 is
 * newer and one at T1 is not. Test code only.
 */

export const T0 = '2026-11-30T10:00:00.000Z';
export const T1 = '2026-11-30T10:05:00.000Z';
export const T2 = '2026-11-30T10:10:00.000Z';
export const T3 = '2026-11-30T10:15:00.000Z';

/** Credential `id` (Deck's `cred_<id>`) of end user `user_<id>`, made at T0 and changed at T1. */
export function listed(id: string, overrides: Partial<CredentialView> = {}): CredentialView {
  return aCredential({
    id,
    deck_id: `cred_${id}`,
    external_id: `user_${id}`,
    status_changed_at: T0,
    created_at: T0,
    updated_at: T1,
    ...overrides,
  });
}
