import { basename } from 'node:path';

/** Paths the api answers itself: never the dashboard, so a wrong URL there stays a JSON 404. */
const API_PREFIXES = ['api', 'webhooks', 'health', 'socket.io'] as const;

const escaped = API_PREFIXES.map((prefix) => prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');

/**
 * Deep links the dashboard's router owns (`/`, `/credentials/abc`, `/connect`):
 * outside the api's prefixes, and a last segment without a dot, so a missing
 * `main-….js` is a 404 rather than index.html served as script.
 */
export const DASHBOARD_ROUTE = new RegExp(`^/(?!(?:${escaped})(?:/|$))(?:[^?#]*/)?[^/.]*$`, 'i');

/** A path (or URL) under one of the api's own prefixes. */
export const API_PATH = new RegExp(`^/(?:${escaped})(?:[/?#]|$)`, 'i');

/** Angular's build names a file `<name>-<8 character hash>.<ext>`: its content never changes under that name. */
const HASHED_FILE = /-[A-Z0-9]{8}\.[a-z0-9]+$/;

/**
 * index.html names the current hashed files, so it is never kept; hashed files
 * are kept for a year; anything else (favicon) is revalidated each time.
 */
export function dashboardCacheControl(filePath: string): string {
  const name = basename(filePath);
  if (name.endsWith('.html')) {
    return 'no-store';
  }
  return HASHED_FILE.test(name) ? 'public, max-age=31536000, immutable' : 'no-cache';
}
