import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';

import { Logger } from 'nestjs-pino';

import { AppModule } from './app.module';
import { mockDeckConfig, MockDeckConfig } from './config/mock-deck.config';
import { configureApp } from './configure-app';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bufferLogs: true });
  configureApp(app);
  const config = app.get<MockDeckConfig>(mockDeckConfig.KEY);
  await app.listen(config.port, config.host);
  app.get(Logger).log(`Deck v2 sandbox on ${await app.getUrl()}/v2 (OpenAPI at /docs)`, 'Bootstrap');
}

void bootstrap();
