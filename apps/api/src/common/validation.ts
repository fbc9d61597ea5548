import { ArgumentMetadata, Injectable, PipeTransform, ValidationError, ValidationPipe } from '@nestjs/common';

import type { ApiFieldError } from '@app/contracts';

import { ApiError } from './api-error';

function flatten(errors: ValidationError[], parent?: string): ApiFieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([name, message]) => ({
      field,
      message: name === 'whitelistValidation' ? `${field} is not a recognised field` : message,
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** Unknown fields refused, types not coerced, every problem listed with its field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ApiError('validation_failed', 'The request is not valid.', flatten(errors)),
  });
}

/** Keys that reach an object's prototype: refused in bodies and query strings alike. */
export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

function hasPrototypeKey(value: unknown, depth = 0): boolean {
  if (typeof value !== 'object' || value === null || depth > 32) {
    return depth > 32;
  }
  return Object.keys(value).some(
    (key) => PROTOTYPE_KEYS.has(key) || hasPrototypeKey((value as Record<string, unknown>)[key], depth + 1),
  );
}

/**
 * Bodies must be JSON objects, without prototype keys (which the validation
 * pipe would otherwise drop silently) and without absurd nesting.
 */
@Injectable()
export class ObjectBodyPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body' || metadata.metatype === undefined || metadata.metatype === Object) {
      return value;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new ApiError('body_invalid', 'The request body must be a JSON object.');
    }
    if (hasPrototypeKey(value)) {
      throw new ApiError('validation_failed', 'The request is not valid.', [
        { field: '(body)', message: 'prototype keys and deeply nested values are not accepted' },
      ]);
    }
    return value;
  }
}
