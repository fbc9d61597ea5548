import { Module } from '@nestjs/common';
import { ConfigModule, ConfigType } from '@nestjs/config';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { LoggerModule } from 'nestjs-pino';

import { AgentsModule } from './agents/agents.module';
import { DeckExceptionFilter } from './common/deck-exception.filter';
import { OrgThrottlerGuard } from './common/org-throttler.guard';
import { newRequestId } from './common/request-id';
import { RequestIdInterceptor } from './common/request-id.interceptor';
import { mockDeckConfig, validateMockDeckEnv } from './config/mock-deck.config';
import { CoreModule } from './core.module';
import { CredentialsModule } from './credentials/credentials.module';
import { ConsistentReadInterceptor } from './database/consistent-read.interceptor';
import { DatabaseModule } from './database/database.module';
import { EventDestinationsModule } from './event-destinations/event-destinations.module';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { ApiKeyGuard } from './orgs/api-key.guard';
import { OrgsModule } from './orgs/orgs.module';
import { SandboxDeliveriesModule } from './sandbox-deliveries/sandbox-deliveries.module';
import { SandboxModule } from './sandbox/sandbox.module';
import { SessionsModule } from './sessions/sessions.module';
import { SourcesModule } from './sources/sources.module';
import { StorageModule } from './storage/storage.module';
import { TaskRunsModule } from './task-runs/task-runs.module';
import { TasksModule } from './tasks/tasks.module';
import { TestEndpointModule } from './test-endpoint/test-endpoint.module';
import { TokenModule } from './token/token.module';

@Module({
  imports: [
    ConfigModule.forRoot({
      isGlobal: true,
      load: [mockDeckConfig],
      validate: validateMockDeckEnv,
      ignoreEnvFile: true,
    }),
    LoggerModule.forRootAsync({
      inject: [mockDeckConfig.KEY],
      useFactory: (config: ConfigType<typeof mockDeckConfig>) => ({
        pinoHttp: {
          level: config.logLevel,
          genReqId: (req) => (typeof req.id === 'string' ? req.id : newRequestId()),
          // Keys, secrets and logins never reach a log line.
          redact: {
            paths: [
              'req.headers.authorization',
              'req.headers.cookie',
              'req.headers["idempotency-key"]',
              'req.body',
              'res.headers["set-cookie"]',
            ],
            censor: '[redacted]',
          },
          customProps: () => ({ app: 'mock-deck' }),
        },
      }),
    }),
    ThrottlerModule.forRootAsync({
      inject: [mockDeckConfig.KEY],
      useFactory: (config: ConfigType<typeof mockDeckConfig>) => ({
        throttlers: [{ name: 'org', ttl: config.rateWindowMs, limit: Math.max(config.rateLimit, 1) }],
        skipIf: () => config.rateLimit === 0,
      }),
    }),
    DatabaseModule,
    CoreModule,
    OrgsModule,
    IdempotencyModule,
    HealthModule,
    TestEndpointModule,
    AgentsModule,
    SourcesModule,
    CredentialsModule,
    TasksModule,
    TaskRunsModule,
    SessionsModule,
    StorageModule,
    EventsModule,
    EventDestinationsModule,
    SandboxDeliveriesModule,
    TokenModule,
    SandboxModule,
  ],
  providers: [
    // Guards run in this order: who is calling, then how often.
    { provide: APP_GUARD, useExisting: ApiKeyGuard },
    { provide: APP_GUARD, useClass: OrgThrottlerGuard },
    { provide: APP_INTERCEPTOR, useClass: RequestIdInterceptor },
    { provide: APP_INTERCEPTOR, useExisting: IdempotencyInterceptor },
    { provide: APP_INTERCEPTOR, useClass: ConsistentReadInterceptor },
    { provide: APP_FILTER, useClass: DeckExceptionFilter },
  ],
})
export class AppModule {}
