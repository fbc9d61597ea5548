import type { CredentialStatus } from '@app/deck';

/** `GET /api/console`: what the dashboard needs to know about this api before it draws its navigation. */
export interface ConsoleInfoView {
  /** Deck is the sandbox: the Sandbox page and `/api/sandbox/*` are available. */
  sandbox: boolean;
  /** The webhook destination the api registered with the sandbox (for its delivery faults and attempts); null otherwise. */
  webhook_destination_id: string | null;
}

export const STATUS_CHANGE_WINDOWS = ['day', 'week'] as const;
export type StatusChangeWindow = (typeof STATUS_CHANGE_WINDOWS)[number];

/** Credentials that became verified or invalid in one hour (Deck's event time). */
export interface StatusChangeBucket {
  /** Start of the hour, ISO 8601 UTC (`2026-12-01T09:00:00.000Z`). */
  hour: string;
  verified: number;
  invalid: number;
}

/** `GET /api/events/status-changes?window=day|week`: every hour of the window, oldest first, zeros included. */
export interface StatusChangeSeries {
  window: StatusChangeWindow;
  buckets: StatusChangeBucket[];
}

/** `GET /api/credentials/by-source`: how many credentials each source has, by status. */
export interface SourceCountsView {
  source_id: string;
  /** The source's name when Deck gave one. */
  name: string | null;
  total: number;
  counts: Record<CredentialStatus, number>;
}

/** One check of `GET /health` (Terminus' shape); extra keys carry what the check saw. */
export interface HealthCheckView {
  status: 'up' | 'down';
  message?: string;
  [key: string]: unknown;
}

/** `GET /health`: 200 with `status: ok`, or 503 with `status: error` naming what is down in `error`. */
export interface HealthReport {
  status: 'ok' | 'error' | 'shutting_down';
  info?: Record<string, HealthCheckView>;
  error?: Record<string, HealthCheckView>;
  details: {
    database?: HealthCheckView;
    deck?: HealthCheckView;
    webhook_destination?: HealthCheckView & { destination_status?: string; reactivations?: number };
    catch_up?: HealthCheckView & {
      last_run_at: string | null;
      lag_ms: number;
      max_lag_ms: number;
      /** `created_at` of the newest Deck event read. */
      newest_event_at: string | null;
      last_error: string | null;
    };
    /** Open mirror objects compared with Deck's own. */
    reconciliation?: HealthCheckView & {
      last_run_at: string | null;
      checked: number;
      repaired: number;
      repaired_total: number;
      last_error: string | null;
    };
    [key: string]: HealthCheckView | undefined;
  };
}
