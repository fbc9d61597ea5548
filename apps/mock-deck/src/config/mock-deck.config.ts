import { registerAs } from '@nestjs/config';
import { plainToInstance, Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsPositive,
  IsString,
  Max,
  Min,
  ValidateBy,
  validateSync,
} from 'class-validator';

import { MAX_SCALE } from '../scheduler/clock';
import { parseRetrySchedule, retryScheduleFrom } from '../webhook-sender/delivery-schedule';
import { configurationReport, settingProblem } from './setting-rules';

/** Environment the sandbox reads; every variable is optional and has an embedded default. */
class MockDeckEnv {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  MOCK_DECK_PORT?: number;

  @IsOptional()
  @IsString()
  MOCK_DECK_HOST?: string;

  @IsOptional()
  @IsString()
  MOCK_DECK_DATABASE?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  MOCK_DECK_RATE_LIMIT?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @IsPositive()
  MOCK_DECK_RATE_WINDOW_MS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsNumber()
  @IsPositive()
  @Max(MAX_SCALE)
  MOCK_DECK_TIME_SCALE?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  MOCK_DECK_STEP_MS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @IsPositive()
  MOCK_DECK_INTERACTION_WINDOW_MS?: number;

  @IsOptional()
  @IsString()
  MOCK_DECK_SCENARIOS_DIR?: string;

  /** Webhook retry delays, e.g. `1s,2s,4s`: 1 to 20 durations, each at most 30 days. */
  @IsOptional()
  @IsString()
  @ValidateBy({
    name: 'isRetrySchedule',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && (value === '' || parseRetrySchedule(value) !== null),
    },
  })
  MOCK_DECK_RETRY_SCHEDULE?: string;

  @IsOptional()
  @IsIn(['cancelling', 'canceling'])
  MOCK_DECK_CANCEL_SPELLING?: 'cancelling' | 'canceling';

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  MOCK_DECK_LOG_LEVEL?: string;
}

/**
 * One line per bad setting, saying what it must look like (never its value);
 * empty when the configuration will do. An empty variable means its default,
 * as when it is not set.
 */
export function mockDeckEnvProblems(raw: Record<string, unknown>): string[] {
  const set = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== ''));
  const env = plainToInstance(MockDeckEnv, set, { enableImplicitConversion: false });
  return validateSync(env, { stopAtFirstError: true }).map((e) => settingProblem(e.property));
}

/** Fails start-up (the config module's check) with the same lines. */
export function validateMockDeckEnv(raw: Record<string, unknown>): Record<string, unknown> {
  const problems = mockDeckEnvProblems(raw);
  if (problems.length > 0) {
    throw new Error(configurationReport(problems));
  }
  return raw;
}

const num = (value: string | undefined, fallback: number): number =>
  value === undefined || value === '' ? fallback : Number(value);

/** The sandbox's settings, read once from the validated environment. */
export const mockDeckConfig = registerAs('mockDeck', () => ({
  port: num(process.env.MOCK_DECK_PORT, 4010),
  host: process.env.MOCK_DECK_HOST || '127.0.0.1',
  database: process.env.MOCK_DECK_DATABASE || 'data/mock-deck.sqlite',
  /** Requests per window per organisation; 0 turns the limit off. Deck's is 200 per 10 s. */
  rateLimit: num(process.env.MOCK_DECK_RATE_LIMIT, 200),
  rateWindowMs: num(process.env.MOCK_DECK_RATE_WINDOW_MS, 10_000),
  timeScale: num(process.env.MOCK_DECK_TIME_SCALE, 1),
  /** Sandbox time a scripted run spends between two visible steps. */
  stepMs: num(process.env.MOCK_DECK_STEP_MS, 1_000),
  /** How long a prompt waits for an answer before the run fails with `interaction_timeout`. */
  interactionWindowMs: num(process.env.MOCK_DECK_INTERACTION_WINDOW_MS, 10 * 60_000),
  /** Scenario files (YAML or JSON) read at start, for every organisation. */
  scenariosDir: process.env.MOCK_DECK_SCENARIOS_DIR || 'scenarios',
  /** Sandbox-time waits before each webhook retry; the length is the number of retries (Deck: 3). */
  retryScheduleMs: retryScheduleFrom(process.env.MOCK_DECK_RETRY_SCHEDULE),
  /** Deck's docs disagree on the REST spelling of the cancelling status. */
  cancelSpelling: (process.env.MOCK_DECK_CANCEL_SPELLING || 'cancelling') as 'cancelling' | 'canceling',
  logLevel: process.env.MOCK_DECK_LOG_LEVEL || 'info',
}));

export type MockDeckConfig = ReturnType<typeof mockDeckConfig>;
