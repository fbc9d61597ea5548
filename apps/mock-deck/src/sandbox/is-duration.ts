import { registerDecorator, ValidationArguments } from 'class-validator';

import { isBoundedDuration, MAX_DURATION_TEXT } from '../common/duration';

/** A duration such as `90s`, `10m`, `3d` or `1h30m`, at most `MAX_DURATION_TEXT`. */
export function IsDuration(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isDuration',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (value: unknown) => isBoundedDuration(value),
        defaultMessage: (args: ValidationArguments) =>
          `${args.property} must be a duration such as 90s, 10m or 3d, at most ${MAX_DURATION_TEXT}`,
      },
    });
}
