import { ArgumentMetadata, Injectable, PipeTransform, ValidationError, ValidationPipe } from '@nestjs/common';

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
      const missing = names.some((name) => MISSING_CONSTRAINTS.has(name)) && error.value === undefined;
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

/** A JSON body must be an object; arrays, strings and numbers are refused before validation. */
@Injectable()
export class ObjectBodyPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'body' && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      throw new DeckError('body_invalid', 'The request body must be a JSON object.');
    }
    return value;
  }
}
