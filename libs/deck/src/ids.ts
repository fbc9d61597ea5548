/**
 * Deck's resource id prefixes. An id is the prefix plus an
 * opaque random suffix; clients must treat the suffix as opaque.
 */
export const ID_PREFIX = {
  agent: 'agt_',
  source: 'src_',
  credential: 'cred_',
  session: 'sess_',
  task: 'task_',
  task_run: 'trun_',
  storage: 'stor_',
  event: 'evt_',
  event_destination: 'evtd_',
  event_delivery: 'edlv_',
  request: 'req_',
  token: 'tok_',
  token_value: 'tk_',
  webhook_secret: 'whsec_',
  /** Sandbox-only (not a Deck prefix): one logged webhook attempt, shown under `/sandbox`. */
  delivery_attempt: 'datt_',
} as const;

/** A resource kind that has an id prefix. */
export type IdKind = keyof typeof ID_PREFIX;

/** API keys Deck accepts: `sk_live_` is Deck's; `sk_test_` is accepted by the sandbox as well. */
export const API_KEY_PATTERN = /^sk_(live|test)_[A-Za-z0-9_-]{8,200}$/;
