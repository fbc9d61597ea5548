import type { CredentialView, InteractionView, TaskRunView } from '@app/contracts';

import type { CredentialRow } from './credential.entity';
import type { InteractionRow } from './interaction.entity';
import type { TaskRunRow } from './task-run.entity';

/** `mark@example.com` → `ma***@example.com`; `user_good` → `us***`: enough to recognise, not to reuse. */
export function maskUsername(username: string | null | undefined): string | null {
  if (!username) {
    return null;
  }
  const [local, domain] = username.split('@');
  const masked = `${local.slice(0, 2)}***`;
  return domain === undefined ? masked : `${masked}@${domain}`;
}

export function toCredentialView(row: CredentialRow): CredentialView {
  return {
    id: row.id,
    deck_id: row.deck_id,
    source_id: row.source_id,
    external_id: row.external_id,
    auth_method: row.auth_method,
    username_hint: row.username_hint,
    status: row.status,
    last_error: row.last_error,
    status_changed_at: row.status_changed_at,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export function toTaskRunView(row: TaskRunRow): TaskRunView {
  return {
    id: row.id,
    deck_id: row.deck_id,
    credential_id: row.credential_id,
    task_id: row.task_id,
    status: row.status,
    result: row.result,
    errors: row.errors,
    started_at: row.started_at,
    finished_at: row.finished_at,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export function toInteractionView(row: InteractionRow): InteractionView {
  return {
    id: row.id,
    task_run_id: row.task_run_id,
    credential_id: row.credential_id,
    prompt: row.prompt,
    state: row.state,
    opened_at: row.opened_at,
    closed_at: row.closed_at,
    answered_by: row.answered_by,
  };
}
