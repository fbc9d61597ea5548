import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';

import { checkJsonBody, requireJsonBodies } from './common/body-guards';
import { createValidationPipe, ObjectBodyPipe, refusePrototypeQuery } from './common/validation';
import { SandboxClock } from './scheduler/clock';
import { MockDeckConfig, mockDeckConfig } from './config/mock-deck.config';

/** Largest JSON body accepted; Deck's own payloads are far smaller. */
const BODY_LIMIT = '1mb';

/**
 * Everything `main.ts` does to the app besides listening, so tests run the
 * exact production pipeline: logger, body limits, pipes, OpenAPI.
 */
export function configureApp(app: NestExpressApplication): INestApplication {
  app.useLogger(app.get(Logger));
  // Every path, not only routes with a query DTO: /health and the sandbox's own pages take queries too.
  app.use(refusePrototypeQuery);
  // Before any parser: other body types are refused, never parsed (Nest would add a form parser).
  app.use(requireJsonBodies);
  // Not strict, so a top-level string or number is refused by name rather than as broken JSON.
  app.useBodyParser('json', { limit: BODY_LIMIT, strict: false });
  // Scenario files may be uploaded as YAML text.
  app.useBodyParser('text', { type: ['application/yaml', 'application/x-yaml', 'text/yaml'], limit: '256kb' });
  app.use(checkJsonBody);
  app.disable('x-powered-by');
  app.set('etag', false);
  app.enableShutdownHooks();
  app.useGlobalPipes(new ObjectBodyPipe(), createValidationPipe());

  const config = app.get<MockDeckConfig>(mockDeckConfig.KEY);
  app.get(SandboxClock).setScale(config.timeScale);

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Deckhand sandbox — Deck API v2')
      .setDescription(
        'An offline Deck v2 (`/v2`, same paths, fields, statuses and errors as https://api.deck.co/v2). ' +
          'Authenticate with `Authorization: Bearer sk_live_…` or `sk_test_…`: every distinct key is its own organisation.',
      )
      .setVersion('2.0.0')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'Any sk_live_… or sk_test_… key' })
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}
