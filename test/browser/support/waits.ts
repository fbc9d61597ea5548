import { expect } from '@playwright/test';

import type { CredentialStatus } from '@app/deck';
import type { CredentialView, InteractionView } from '@app/contracts';

import type { ApiClient } from './api';

/**
 * Conditions on the api's state that several browser tests wait for before they
 * look at a page (polling the REST api, never sleeping a fixed time).
 */

/** Waits until the credential's mirrored status is `status` (webhooks from the sandbox land in the api). */
export async function waitForStatus(
  api: ApiClient,
  credentialId: string,
  status: CredentialStatus,
  timeout = 20_000,
): Promise<CredentialView> {
  await expect
    .poll(async () => (await api.credential(credentialId)).credential.status, {
      message: `credential ${credentialId} becomes ${status}`,
      timeout,
    })
    .toBe(status);
  return (await api.credential(credentialId)).credential;
}

/** Waits until the credential has an open prompt (a run asking for a code or an answer) and returns it. */
export async function waitForOpenPrompt(
  api: ApiClient,
  credentialId: string,
  timeout = 20_000,
): Promise<InteractionView> {
  let found: InteractionView | undefined;
  await expect
    .poll(
      async () => {
        found = (await api.openInteractions()).find((i) => i.credential_id === credentialId);
        return found !== undefined;
      },
      { message: `credential ${credentialId} has an open prompt`, timeout },
    )
    .toBe(true);
  return found as InteractionView;
}

/** Waits until the credential's run has finished (no run queued, running or waiting), so its page holds still. */
export async function waitForRunsSettled(api: ApiClient, credentialId: string, timeout = 20_000): Promise<void> {
  await expect
    .poll(
      async () =>
        (await api.credential(credentialId)).runs.every((run) =>
          ['completed', 'failed', 'canceled'].includes(run.status),
        ),
      { message: `credential ${credentialId}'s runs finish`, timeout },
    )
    .toBe(true);
}
