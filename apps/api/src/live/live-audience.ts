import type { ClientToServerEvents, LiveChange, ServerToClientEvents } from '@app/contracts';
import type { Namespace, Socket } from 'socket.io';

/** Who a socket speaks for: every operator role sees everything; an end user sees one external_id's credentials. */
export type LiveAudience = { kind: 'operators' } | { kind: 'end_user'; externalId: string };

/** What the connection middleware proved, kept on the socket for its lifetime. */
export interface LiveSocketData {
  audience: LiveAudience;
  /** Where the client left off; null for a fresh client (nothing to replay). */
  lastSeq: number | null;
  /**
   * Live changes at or below this seq are not sent: the replayed backlog
   * already held every one the socket may see (0 until then, and for fresh clients).
   */
  floor: number;
  /** Re-checked on a timer so a logged-out session or an expired link stops receiving. Memory only. */
  proof: { kind: 'session' | 'link'; token: string };
}

export type LiveNamespace = Namespace<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  LiveSocketData
>;
export type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, LiveSocketData>;

/** A committed change with the end user it belongs to (null: operators only). */
export interface RoutedChange {
  change: LiveChange;
  externalId: string | null;
}

export const OPERATORS_ROOM = 'operators';

export function roomOf(audience: LiveAudience): string {
  return audience.kind === 'operators' ? OPERATORS_ROOM : `external:${audience.externalId}`;
}

export function canSee(audience: LiveAudience, routed: RoutedChange): boolean {
  return audience.kind === 'operators' || routed.externalId === audience.externalId;
}
