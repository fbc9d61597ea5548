import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Params } from 'nestjs-pino';
import type { Options } from 'pino-http';
import PinoPretty from 'pino-pretty';

import type { ApiConfig } from '../config/api.config';
import { API_PATH } from '../dashboard/dashboard-routes';
import { humanMessage, resolveLogFormat } from './log-format';

/**
 * nestjs-pino's options: JSON lines, or (on a terminal, or LOG_FORMAT=pretty)
 * one readable line per log. Pretty printing runs in-process and synchronously:
 * it is for a person at a terminal, and it keeps the start-up banner after the
 * logs that came before it.
 */
export function loggerParams(config: ApiConfig, stdoutIsTty: boolean): Params {
  const pinoHttp: Options = {
    level: config.logLevel,
    genReqId: (req) => (typeof req.id === 'string' ? req.id : randomUUID()),
    // Bodies are never logged (they carry passwords and MFA codes); neither are cookies, keys or signatures.
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-link-token"]',
        'req.headers["x-xsrf-token"]',
        'req.headers["webhook-signature"]',
        'req.body',
        'res.headers["set-cookie"]',
      ],
      censor: '[redacted]',
    },
    customProps: () => ({ app: 'api' }),
    // Opening the dashboard fetches a score of files: worth a debug line each, not an info line.
    customLogLevel: (req: IncomingMessage, res: ServerResponse, error?: Error) =>
      !error && res.statusCode < 400 && !API_PATH.test(req.url ?? '/') ? 'debug' : 'info',
  };
  if (resolveLogFormat(config.logFormat, stdoutIsTty) === 'json') {
    return { pinoHttp };
  }
  const pretty = PinoPretty({
    sync: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,app,context,req,res,responseTime',
    messageFormat: humanMessage,
    singleLine: true,
  });
  return { pinoHttp: [pinoHttp, pretty] };
}
