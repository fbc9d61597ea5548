import { UnsupportedMediaTypeException } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';

import { explainBodyReadError, refuseHostileJson } from './common/request-body';
import { assignRequestId } from './common/request-id';
import { refuseMalformedPath, refusePrototypeQuery } from './common/request-url';
import { createValidationPipe, ObjectBodyPipe } from './common/validation';
import { FrameworkQuietLogger } from './logging/framework-quiet.logger';
import { useWebhookBodyParser } from './webhooks/webhook-body';

/** Small on purpose: the connect form and the console send little; Deck's webhooks are a few kB. */
const BODY_LIMIT = '64kb';

/**
 * Everything main.ts does besides listening, so tests run the production
 * pipeline: security headers, cookies, raw body for webhook signatures, pipes, OpenAPI.
 */
export function configureApp(app: NestExpressApplication): NestExpressApplication {
  app.useLogger(new FrameworkQuietLogger(app.get(Logger)));
  // First, so that even a request refused before routing (bad URL, unreadable body) answers with its request_id.
  app.use(assignRequestId);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          // 'self', not 'none': the dashboard's <base href="/"> must hold for deep links to load its files.
          baseUri: ["'self'"],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          connectSrc: ["'self'", 'ws:', 'wss:'],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
        },
      },
    }),
  );
  app.use(refuseMalformedPath);
  app.use(cookieParser());
  // API answers are never cached: they carry personal data (ASVS 14.3.2).
  app.use('/api', (_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  // JSON only: a urlencoded or multipart body is what a cross-site HTML form can send (a login CSRF).
  app.use('/api', (req: Request, _res: Response, next: NextFunction) => {
    const hasContent = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length']) > 0;
    next(hasContent && !req.is('application/json') ? new UnsupportedMediaTypeException() : undefined);
  });
  // Every path, not only /api: /health and the dashboard's pages take queries too.
  app.use(refusePrototypeQuery);
  useWebhookBodyParser(app);
  app.useBodyParser('json', { limit: BODY_LIMIT });
  app.use(explainBodyReadError);
  // Before any route, pipe or pass-through walks the body (class-transformer recurses without a limit).
  app.use('/api', refuseHostileJson);
  app.disable('x-powered-by');
  app.enableShutdownHooks();
  app.useWebSocketAdapter(new IoAdapter(app));
  app.useGlobalPipes(new ObjectBodyPipe(), createValidationPipe());

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Deckhand api')
      .setDescription('The integrator backend: credential flow, Deck webhook inbox, mirror and operator console API.')
      .setVersion('1.0.0')
      .addCookieAuth('deckhand_session')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/openapi.json' });
  return app;
}
