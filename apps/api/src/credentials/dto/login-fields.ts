import { registerDecorator, ValidationArguments } from 'class-validator';

/** Deck's source_fields rules. */
export const SOURCE_FIELD_KEY = /^[a-z][a-z0-9_]{0,63}$/;
export const MAX_SOURCE_FIELDS = 10;
const RESERVED_KEYS = new Set(['username', 'password']);
const MAX_SOURCE_FIELD_VALUE = 1024;

/**
 * The connect form's limits. The password's is Deck's own (the sandbox
 * refuses longer ones too), so a password we accept is one Deck stores.
 */
export const MAX_PASSWORD_LENGTH = 4096;
export const MAX_USERNAME_LENGTH = 1024;

/** An object of at most 10 string values whose keys follow Deck's pattern and are not username/password. */
export function IsSourceFields(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isSourceFields',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate(value: unknown): boolean {
          if (typeof value !== 'object' || value === null || Array.isArray(value)) {
            return false;
          }
          const entries = Object.entries(value);
          return (
            entries.length <= MAX_SOURCE_FIELDS &&
            entries.every(
              ([key, v]) =>
                SOURCE_FIELD_KEY.test(key) &&
                !RESERVED_KEYS.has(key) &&
                typeof v === 'string' &&
                v.length <= MAX_SOURCE_FIELD_VALUE,
            )
          );
        },
        defaultMessage(args: ValidationArguments): string {
          return `${args.property} must be an object of at most ${MAX_SOURCE_FIELDS} string values (up to ${MAX_SOURCE_FIELD_VALUE} characters) whose keys match ${SOURCE_FIELD_KEY.source} and are not username or password`;
        },
      },
    });
}

/** Refuses the property when `other` is given too (e-mail and username are two spellings of one login). */
export function NotWith(other: string): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'notWith',
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: [other],
      validator: {
        validate(_value: unknown, args: ValidationArguments): boolean {
          return (args.object as Record<string, unknown>)[other] === undefined;
        },
        defaultMessage(args: ValidationArguments): string {
          return `give either ${args.property} or ${other}, not both`;
        },
      },
    });
}
