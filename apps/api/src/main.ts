import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { AppModule } from './app.module';
import { AuthService } from './auth/auth.service';
import { apiConfig, ApiConfig } from './config/api.config';
import { configureApp } from './configure-app';
import { startupBanner } from './startup-banner';

async function bootstrap(): Promise<void> {
  // rawBody: webhook signatures are checked over the exact bytes Deck sent.
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bufferLogs: true, rawBody: true });
  configureApp(app);
  const config = app.get<ApiConfig>(apiConfig.KEY);
  await app.listen(config.port, config.host);
  // Straight to stdout, whatever the log format: it is for the person who started the api.
  process.stdout.write(
    startupBanner({
      publicUrl: config.publicUrl,
      adminEmail: config.admin.email,
      defaultPassword: await app.get(AuthService).defaultAdminPassword(),
      deckUrl: config.deck.url,
      deckIsSandbox: config.deck.isSandbox,
      dashboardBuilt: existsSync(join(config.dashboardDir, 'index.html')),
    }),
  );
}

void bootstrap();
