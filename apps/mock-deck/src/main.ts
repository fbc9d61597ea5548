import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';

import { Logger } from 'nestjs-pino';

import { mockDeckConfig, MockDeckConfig, mockDeckEnvProblems } from './config/mock-deck.config';
import { configurationReport } from './config/setting-rules';
import { configureApp } from './configure-app';

async function bootstrap(): Promise<void> {
  const problems = mockDeckEnvProblems(process.env);
  if (problems.length > 0) {
    // For the person starting the sandbox: each setting to fix, no stack trace. The app module is not
    // loaded, because loading it runs the same check and would fail with one.
    process.stderr.write(configurationReport(problems));
    process.exitCode = 1;
    return;
  }
  const { AppModule } = await import('./app.module');
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bufferLogs: true });
  configureApp(app);
  const config = app.get<MockDeckConfig>(mockDeckConfig.KEY);
  await app.listen(config.port, config.host);
  app.get(Logger).log(`Deck v2 sandbox on ${await app.getUrl()}/v2 (OpenAPI at /docs)`, 'Bootstrap');
}

void bootstrap();
