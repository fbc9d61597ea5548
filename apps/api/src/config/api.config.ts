import { registerAs } from '@nestjs/config';
import { plainToInstance, Type } from 'class-transformer';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsPositive,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

import { API_KEY_PATTERN } from '@app/deck';

import { configurationReport, settingProblem } from './setting-rules';

/** The sandbox's shared development key: any key works there, this one is just the documented default. */
export const SANDBOX_DEV_API_KEY = 'sk_test_deckhand_local_dev';
const DEFAULT_DECK_URL = 'http://127.0.0.1:4010/v2';
const WEBHOOK_SECRET = /^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/;
/** `auto`: human-readable on a terminal, JSON lines otherwise (a pipe, a file, a log collector). */
const LOG_FORMATS = ['auto', 'pretty', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];
/** The Angular build's output, relative to the repository root. */
const DASHBOARD_BUILD = join('dist', 'apps', 'dashboard', 'browser');

class ApiEnv {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT?: number;

  @IsOptional()
  @IsString()
  HOST?: string;

  @IsOptional()
  @IsString()
  DATABASE_PATH?: string;

  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  DECK_API_URL?: string;

  @IsOptional()
  @Matches(API_KEY_PATTERN, { message: 'DECK_API_KEY must be a Deck secret key (sk_live_…)' })
  DECK_API_KEY?: string;

  @IsOptional()
  @Matches(WEBHOOK_SECRET, { message: 'DECK_WEBHOOK_SECRET must be a whsec_ secret' })
  DECK_WEBHOOK_SECRET?: string;

  @IsOptional()
  @Matches(WEBHOOK_SECRET, { message: 'DECK_WEBHOOK_SECRET_PREVIOUS must be a whsec_ secret' })
  DECK_WEBHOOK_SECRET_PREVIOUS?: string;

  @IsOptional()
  @IsString()
  DECK_VERIFY_TASK_ID?: string;

  @IsOptional()
  @IsIn(['auto', 'true', 'false'])
  DECK_SANDBOX?: string;

  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  PUBLIC_URL?: string;

  @IsOptional()
  @IsEmail({ require_tld: false })
  ADMIN_EMAIL?: string;

  @IsOptional()
  @IsString()
  @MinLength(8)
  ADMIN_PASSWORD?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @IsPositive()
  CATCH_UP_INTERVAL_MS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  CATCH_UP_OVERLAP_MS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @IsPositive()
  RECONCILE_INTERVAL_MS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @IsPositive()
  DESTINATION_CHECK_INTERVAL_MS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @IsPositive()
  @Max(24 * 60)
  LINK_TTL_MINUTES?: number;

  @IsOptional()
  @IsString()
  ALLOWED_ORIGINS?: string;

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;

  @IsOptional()
  @IsIn(LOG_FORMATS)
  LOG_FORMAT?: string;

  /** Empty means the default, as in .env.example. */
  @IsOptional()
  @IsString()
  DASHBOARD_DIR?: string;
}

/** One line per bad setting, saying what it must look like; empty when the configuration will do. */
export function apiEnvProblems(raw: Record<string, unknown>): string[] {
  const errors = validateSync(plainToInstance(ApiEnv, raw), { stopAtFirstError: true });
  const lines = errors.map((e) => settingProblem(e.property, e.constraints));
  const deckUrl = typeof raw.DECK_API_URL === 'string' && raw.DECK_API_URL ? raw.DECK_API_URL : DEFAULT_DECK_URL;
  const urlIsValid = !errors.some((e) => e.property === 'DECK_API_URL');
  if (!raw.DECK_API_KEY && urlIsValid && !isLocal(deckUrl)) {
    lines.push('DECK_API_KEY must be set (sk_live_… or sk_test_…) when DECK_API_URL is not a local sandbox');
  }
  return lines;
}

/** Fails start-up naming each bad variable and its rule, never its value. */
export function validateApiEnv(raw: Record<string, unknown>): Record<string, unknown> {
  const problems = apiEnvProblems(raw);
  if (problems.length > 0) {
    throw new Error(configurationReport(problems));
  }
  return raw;
}

function isLocal(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '::1' || host === '[::1]' || host.startsWith('127.');
}

/**
 * The repository root: the nearest folder above this file with nest-cli.json,
 * found the same way from the TypeScript source (tests) and from the build in
 * dist/; the working directory when there is none (a deployment without it).
 */
function repositoryRoot(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'nest-cli.json'))) {
      return dir;
    }
  }
  return process.cwd();
}

const num = (value: string | undefined, fallback: number): number =>
  value === undefined || value === '' ? fallback : Number(value);

export const apiConfig = registerAs('api', () => {
  const port = num(process.env.PORT, 3000);
  const deckUrl = (process.env.DECK_API_URL || DEFAULT_DECK_URL).replace(/\/+$/, '');
  const sandboxSetting = process.env.DECK_SANDBOX || 'auto';
  const publicUrl = (process.env.PUBLIC_URL || `http://127.0.0.1:${port}`).replace(/\/+$/, '');
  return {
    port,
    host: process.env.HOST || '127.0.0.1',
    databasePath: process.env.DATABASE_PATH || 'data/api.sqlite',
    deck: {
      url: deckUrl,
      apiKey: process.env.DECK_API_KEY || SANDBOX_DEV_API_KEY,
      /** The sandbox's control plane (destination secrets, /api/sandbox pass-through) is only used against the sandbox. */
      isSandbox: sandboxSetting === 'auto' ? isLocal(deckUrl) : sandboxSetting === 'true',
      webhookSecret: process.env.DECK_WEBHOOK_SECRET || null,
      previousWebhookSecret: process.env.DECK_WEBHOOK_SECRET_PREVIOUS || null,
      verifyTaskId: process.env.DECK_VERIFY_TASK_ID || null,
      /** First backoff after a 429/5xx from Deck; it doubles per retry (Deck's advice: 1 s, capped at 30 s). */
      retryBaseMs: num(process.env.DECK_RETRY_BASE_MS, 1000),
    },
    publicUrl,
    admin: {
      email: process.env.ADMIN_EMAIL || 'admin@deckhand.local',
      /** Used only to create the first operator when none exists; the README states it. */
      password: process.env.ADMIN_PASSWORD || 'deckhand-admin',
      passwordIsDefault: !process.env.ADMIN_PASSWORD,
    },
    catchUpIntervalMs: num(process.env.CATCH_UP_INTERVAL_MS, 60_000),
    /** How far behind the newest event read catch-up still expects late commits (Deck promises no order). */
    catchUpOverlapMs: num(process.env.CATCH_UP_OVERLAP_MS, 300_000),
    /** Open credentials, runs and prompts are checked against Deck's own objects this often (and at start). */
    reconcileIntervalMs: num(process.env.RECONCILE_INTERVAL_MS, 300_000),
    /** How often the api checks its webhook destination is still active at Deck. */
    destinationCheckIntervalMs: num(process.env.DESTINATION_CHECK_INTERVAL_MS, 15_000),
    linkTtlMs: num(process.env.LINK_TTL_MINUTES, 30) * 60_000,
    allowedOrigins: (process.env.ALLOWED_ORIGINS || publicUrl)
      .split(',')
      .map((o) => o.trim().replace(/\/+$/, ''))
      .filter(Boolean),
    logLevel: process.env.LOG_LEVEL || 'info',
    logFormat: (process.env.LOG_FORMAT || 'auto') as LogFormat,
    /** The built dashboard (absolute); it may not exist yet, which the api answers with a clear error. */
    dashboardDir: process.env.DASHBOARD_DIR
      ? resolve(process.env.DASHBOARD_DIR)
      : join(repositoryRoot(), DASHBOARD_BUILD),
  };
});

export type ApiConfig = ReturnType<typeof apiConfig>;
