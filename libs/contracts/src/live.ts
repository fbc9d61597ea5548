import type { CredentialView, InteractionView, TaskRunView } from './credentials';

/** socket.io namespace for live updates. */
export const LIVE_NAMESPACE = '/live';

/** One committed change to the mirror, numbered in commit order. */
export type LiveChange =
  | { seq: number; kind: 'credential'; credential_id: string; credential: CredentialView }
  | { seq: number; kind: 'task_run'; credential_id: string | null; task_run: TaskRunView }
  | { seq: number; kind: 'interaction'; credential_id: string | null; interaction: InteractionView };

export interface ServerToClientEvents {
  change: (change: LiveChange) => void;
  /** Missed changes could not be replayed (too many): refetch over REST, then continue from `seq`. */
  resync: (info: { seq: number }) => void;
  /**
   * Sent first to a client that connected without `last_seq`: the newest `seq` as it joined.
   * Changes after it follow live; send it back as `last_seq` after a drop to get what was missed.
   */
  position: (info: { seq: number }) => void;
}

export interface ClientToServerEvents {
  /** Nothing yet: clients only listen. */
  ping: (ack: (info: { seq: number }) => void) => void;
}

/** What a client sends when it connects: where it left off, and (connect page) its link token. */
export interface LiveHandshake {
  last_seq?: number;
  link_token?: string;
}
