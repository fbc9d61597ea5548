import { Module } from '@nestjs/common';
import { ConfigModule, ConfigType } from '@nestjs/config';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { LoggerModule } from 'nestjs-pino';

import { AccessGuard } from './auth/access.guard';
import { AuthModule } from './auth/auth.module';
import { ApiExceptionFilter } from './common/api-exception.filter';
import { ConsoleModule } from './console/console.module';
import { apiConfig, validateApiEnv } from './config/api.config';
import { CoreModule } from './core.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { DatabaseModule } from './database/database.module';
import { LiveModule } from './live/live.module';
import { loggerParams } from './logging/logger-params';
import { HealthModule } from './health/health.module';
import { InteractionsModule } from './interactions/interactions.module';
import { OperatorsModule } from './operators/operators.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { CredentialsModule } from './credentials/credentials.module';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, load: [apiConfig], validate: validateApiEnv, ignoreEnvFile: true }),
    LoggerModule.forRootAsync({
      inject: [apiConfig.KEY],
      useFactory: (config: ConfigType<typeof apiConfig>) => loggerParams(config, process.stdout.isTTY === true),
    }),
    // Per client address; tighter limits sit on login and the connect routes.
    ThrottlerModule.forRoot({ throttlers: [{ name: 'default', ttl: 60_000, limit: 600 }] }),
    DatabaseModule,
    CoreModule,
    AuthModule,
    LiveModule,
    HealthModule,
    InteractionsModule,
    OperatorsModule,
    WebhooksModule,
    CredentialsModule,
    ConsoleModule,
    // Last: its middleware and its catch-all page come after everything the api answers itself.
    DashboardModule,
  ],
  providers: [
    { provide: APP_GUARD, useClass: ThrottlerGuard },
    { provide: APP_GUARD, useExisting: AccessGuard },
    { provide: APP_FILTER, useClass: ApiExceptionFilter },
  ],
})
export class AppModule {}
