import type { LogFormat } from '../config/api.config';

/** `auto` is human-readable only on a terminal: a pipe or a file gets JSON lines for a log collector. */
export function resolveLogFormat(setting: LogFormat, stdoutIsTty: boolean): 'pretty' | 'json' {
  if (setting === 'auto') {
    return stdoutIsTty ? 'pretty' : 'json';
  }
  return setting;
}

/** One log line's text for people: who said it, or the request and its answer for pino-http's lines. */
export function humanMessage(log: Record<string, unknown>, messageKey: string): string {
  const req = log.req as { method?: unknown; url?: unknown } | undefined;
  const res = log.res as { statusCode?: unknown } | undefined;
  if (req && res) {
    const took = typeof log.responseTime === 'number' ? ` ${log.responseTime} ms` : '';
    return `${String(req.method)} ${String(req.url)} → ${String(res.statusCode)}${took}`;
  }
  const raw = log[messageKey];
  const message = typeof raw === 'string' ? raw : (JSON.stringify(raw) ?? '');
  return typeof log.context === 'string' ? `${log.context}: ${message}` : message;
}
