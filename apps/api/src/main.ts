import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { AuthService } from './auth/auth.service';
import { apiConfig, ApiConfig, apiEnvProblems } from './config/api.config';
import { configurationReport } from './config/setting-rules';
import { configureApp } from './configure-app';
import { startupBanner } from './startup-banner';

async function bootstrap(): Promise<void> {
  const problems = apiEnvProblems(process.env);
  if (problems.length > 0) {
    // For the person starting the api: each setting to fix, no stack trace. The app module is not
    // even loaded, because loading it runs the same check and would fail with one.
    process.stderr.write(configurationReport(problems));
    process.exitCode = 1;
    return;
  }
  const { AppModule } = await import('./app.module');
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
