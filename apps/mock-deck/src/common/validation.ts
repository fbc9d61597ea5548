import { ArgumentMetadata, Injectable, PipeTransform, ValidationError, ValidationPipe } from '@nestjs/common';
import { ValidateIf } from 'class-validator';
import type { NextFunction, Request, Response } from 'express';

import { DeckError, DeckProblem } from './deck-error';

/** Constraints that mean "the value is absent" rather than "the value is wrong". */
const MISSING_CONSTRAINTS = new Set(['isDefined', 'isNotEmpty']);

function flatten(errors: ValidationError[], parent?: string): DeckProblem[] {
  const problems: DeckProblem[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const constraints = error.constraints ?? {};
    const names = Object.keys(constraints);
    if (names.includes('whitelistValidation')) {
      problems.push({ code: 'input_invalid', field, message: `\`${field}\` is not a recognised field.` });
    } else if (names.length > 0) {
      const absent = error.value === undefined || error.value === null || error.value === '';
      const missing = names.some((name) => MISSING_CONSTRAINTS.has(name)) && absent;
      problems.push(
        missing
          ? { code: 'input_missing', field, message: `\`${field}\` is required and cannot be empty.` }
          : {
              code: 'input_invalid',
              field,
              message: `\`${field}\` is invalid: ${names.map((n) => constraints[n].replace(error.property, `\`${field}\``)).join('; ')}.`,
            },
      );
    }
    if (error.children?.length) {
      problems.push(...flatten(error.children, field));
    }
  }
  return problems;
}

/**
 * The production validation pipe: unknown fields are refused, types are not
 * coerced behind the client's back, and every problem is listed with its field
 * path in Deck's envelope.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: true },
    exceptionFactory: (errors) => new DeckError(flatten(errors)),
  });
}

/** Keys that reach prototypes; the validation pipe would drop them silently (nestjs/nest#16050). */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The dotted path of the first prototype key in a parsed body, if any. */
function prototypeKeyPath(value: unknown, path: string[] = []): string | null {
  if (typeof value !== 'object' || value === null) {
    return null;
  }
  for (const key of Object.keys(value)) {
    if (PROTOTYPE_KEYS.has(key)) {
      return [...path, key].join('.');
    }
    const nested = prototypeKeyPath((value as Record<string, unknown>)[key], [...path, key]);
    if (nested) {
      return nested;
    }
  }
  return null;
}

/**
 * `?__proto__=1`, `?constructor=1`, `?a[__proto__]=1` on any path, routes
 * without a query DTO included: read from the raw query string, because the
 * query parser and the validation pipe drop or rename them, so they would pass
 * silently where any other unknown parameter is refused.
 */
export function refusePrototypeQuery(request: Request, _response: Response, next: NextFunction): void {
  const at = request.originalUrl.indexOf('?');
  const names = at < 0 ? [] : [...new URLSearchParams(request.originalUrl.slice(at + 1)).keys()];
  const bad = names.filter((name) => name.split(/[[\].]/).some((part) => PROTOTYPE_KEYS.has(part)));
  next(
    bad.length === 0
      ? undefined
      : new DeckError(
          bad.map((field) => ({ code: 'input_invalid', field, message: `\`${field}\` is not a recognised field.` })),
        ),
  );
}

/**
 * A JSON body must be an object; arrays, strings and numbers are refused before
 * validation, and so are prototype keys in a body, like any other unknown
 * field (in a query they are refused before routing, by `refusePrototypeQuery`).
 */
@Injectable()
export class ObjectBodyPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body') {
      return value;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new DeckError('body_invalid', 'The request body must be a JSON object.');
    }
    const field = prototypeKeyPath(value);
    if (field) {
      throw new DeckError('input_invalid', `\`${field}\` is not a recognised field.`, field);
    }
    return value;
  }
}

/**
 * The field may be left out, but `null` is checked like any other value (and
 * refused by the field's type rules). `@IsOptional()` would let `null` through
 * to code that expects the type.
 */
export const IsOmittable = (): PropertyDecorator =>
  ValidateIf((_object: object, value: unknown) => value !== undefined);
