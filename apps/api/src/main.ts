import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';

import { AppModule } from './app.module';
import { apiConfig, ApiConfig } from './config/api.config';
import { configureApp } from './configure-app';

async function bootstrap(): Promise<void> {
  // rawBody: webhook signatures are checked over the exact bytes Deck sent.
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bufferLogs: true, rawBody: true });
  configureApp(app);
  const config = app.get<ApiConfig>(apiConfig.KEY);
  await app.listen(config.port, config.host);
  app.get(Logger).log(`Deckhand api on ${await app.getUrl()} (OpenAPI at /api/docs)`, 'Bootstrap');
}

void bootstrap();
