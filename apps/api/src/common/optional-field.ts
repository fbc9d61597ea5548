import { ValidateIf } from 'class-validator';

/**
 * An optional field that may be left out but never sent as `null`: unlike
 * `@IsOptional()`, null is validated (and refused) by the field's other rules,
 * so it never reaches a service that reads it as "given".
 */
export const IsOptionalNotNull = (): PropertyDecorator => ValidateIf((_object, value) => value !== undefined);
