import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { Request, Response } from 'express';

import type { DeckErrorEnvelope } from '@app/deck';

import { DeckError, DeckErrorCode } from './deck-error';
import { requestIdOf } from './request-id';

/** Errors body-parser raises before a route runs; they carry a `type` and a status. */
interface BodyParserError {
  type: string;
  status?: number;
}

/** What each body-parser failure meant, for the client. */
const BODY_PARSER_ERRORS: Record<string, [DeckErrorCode, string]> = {
  'entity.parse.failed': ['body_invalid', 'The request body is not valid JSON.'],
  'entity.too.large': ['body_too_large', 'The request body is too large.'],
  'request.aborted': ['body_invalid', 'The request body was cut short.'],
  'request.size.invalid': ['body_invalid', 'The request body does not match its Content-Length.'],
  'encoding.unsupported': [
    'content_type_unsupported',
    'The request body has a Content-Encoding the sandbox does not read.',
  ],
  'charset.unsupported': ['content_type_unsupported', 'Send JSON in UTF-8.'],
};

function isBodyParserError(error: unknown): error is BodyParserError {
  return typeof error === 'object' && error !== null && typeof (error as BodyParserError).type === 'string';
}

/**
 * The one place an error becomes an HTTP answer: always Deck's envelope, never
 * a stack trace. Anything unforeseen is a 500 with a generic message, logged
 * with the request id so it can be found.
 */
@Catch()
export class DeckExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(DeckExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const error = this.toDeckError(exception, request);
    if (error.status >= 500) {
      this.logger.error({ err: exception, request_id: requestIdOf(request) }, 'Unhandled error');
    }
    const body: DeckErrorEnvelope = { errors: error.toItems(), request_id: requestIdOf(request) };
    response.status(error.status).json(body);
  }

  private toDeckError(exception: unknown, request: Request): DeckError {
    if (exception instanceof DeckError) {
      return exception;
    }
    if (exception instanceof ThrottlerException) {
      return new DeckError('rate_limit_exceeded', 'Too many requests.');
    }
    if (isBodyParserError(exception)) {
      const known = BODY_PARSER_ERRORS[exception.type];
      if (known) {
        return new DeckError(known[0], known[1]);
      }
      if (exception.status !== undefined && exception.status < 500) {
        return new DeckError('body_invalid', 'The request body could not be read.');
      }
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status === Number(HttpStatus.NOT_FOUND)) {
        return new DeckError('route_not_found', `No route matches ${request.method} ${request.path}.`);
      }
      if (status === Number(HttpStatus.PAYLOAD_TOO_LARGE)) {
        return new DeckError('body_too_large', 'The request body is too large.');
      }
      if (status === Number(HttpStatus.BAD_REQUEST)) {
        // Nest turns the router's URIError (`%ff` in a path) and the JSON parser's SyntaxError into this.
        return /^Failed to decode param/.test(exception.message)
          ? new DeckError('url_invalid', 'The request URL is not valid: a percent-escape in the path does not decode.')
          : new DeckError('body_invalid', 'The request body is not valid JSON.');
      }
    }
    return new DeckError('api_error', 'An internal error occurred. Please try again later.');
  }
}
