import { createHash } from 'node:crypto';

/** Keys whose values are secrets: left out of the fingerprint so nothing derived from them is stored. */
const SECRET_KEYS = new Set(['password', 'secret', 'input', 'inputs']);

/**
 * JSON with sorted keys and secrets blanked, so the same parameters in another
 * order count as the same. A retry that changes only a secret therefore
 * replays the first answer instead of failing with 409.
 */
function canonical(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonical).join(',')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${SECRET_KEYS.has(k) ? '"<secret>"' : canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** What "the same parameters" means for a key: sha256 of method, path and canonical body. */
export function requestFingerprint(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${path}\n${canonical(body ?? null)}`)
    .digest('hex');
}
