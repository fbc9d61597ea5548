import type { Role } from './auth';

/** An admin's change to another operator: a new role, a new password, or both. */
export interface UpdateOperatorRequest {
  role?: Role;
  password?: string;
}

/** One line of the audit log: who did what to which object. Never a secret. */
export interface AuditEntryView {
  /** Increasing; newest first in lists. */
  seq: number;
  at: string;
  /** An operator id, `end_user:<external_id>`, or `system`. */
  actor: string;
  action: string;
  target: string | null;
  detail: Record<string, unknown> | null;
}

export interface AuditListQuery {
  limit?: number;
  cursor?: string;
}
