import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

import { type Role, ROLES, type UpdateOperatorRequest } from '@app/contracts';

import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './create-operator.dto';

export class UpdateOperatorDto implements UpdateOperatorRequest {
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  /** A new password; the operator's other sessions end. */
  @IsOptional()
  @IsString()
  @MinLength(MIN_PASSWORD_LENGTH)
  @MaxLength(MAX_PASSWORD_LENGTH)
  password?: string;
}
