import type { InteractionState } from './credentials';

/** `GET /api/interactions`: the prompt queue, newest first. */
export interface InteractionListQuery {
  /** Repeat the parameter or separate with commas; `status` is accepted as an alias. */
  state?: InteractionState[];
  /** Local credential id. */
  credential_id?: string;
  limit?: number;
  cursor?: string;
}
