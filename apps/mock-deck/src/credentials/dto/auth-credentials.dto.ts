import { IsObject, IsString, MaxLength, MinLength, registerDecorator, ValidationArguments } from 'class-validator';

import { IsOmittable } from '../../common/validation';

export const SOURCE_FIELD_KEY = /^[a-z][a-z0-9_]{0,63}$/;
export const RESERVED_SOURCE_FIELD_KEYS = ['username', 'password'];
export const MAX_SOURCE_FIELDS = 10;

/** Deck's source_fields rules: key pattern, no reserved keys, at most 10, string values. */
function IsSourceFields(): PropertyDecorator {
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
              ([k, v]) =>
                SOURCE_FIELD_KEY.test(k) &&
                !RESERVED_SOURCE_FIELD_KEYS.includes(k) &&
                typeof v === 'string' &&
                v.length <= 1024,
            )
          );
        },
        defaultMessage(args: ValidationArguments): string {
          return `${args.property} must be an object of at most ${MAX_SOURCE_FIELDS} string values whose keys match ${SOURCE_FIELD_KEY.source} and are not ${RESERVED_SOURCE_FIELD_KEYS.join(' or ')}`;
        },
      },
    });
}

/** What a credential logs in with. The password is write-only. */
export class AuthCredentialsDto {
  @IsOmittable()
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  username?: string;

  /** Forwarded byte for byte: never trimmed, never returned. */
  @IsOmittable()
  @IsString()
  @MinLength(1)
  @MaxLength(4096)
  password?: string;

  /** Extra non-secret login values a source needs (company id, tenant…). */
  @IsOmittable()
  @IsObject()
  @IsSourceFields()
  source_fields?: Record<string, string>;
}
