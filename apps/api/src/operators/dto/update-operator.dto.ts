import { IsIn, IsString, MaxLength, MinLength } from 'class-validator';

import { type Role, ROLES, type UpdateOperatorRequest } from '@app/contracts';

import { IsOptionalNotNull } from '../../common/optional-field';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './create-operator.dto';

export class UpdateOperatorDto implements UpdateOperatorRequest {
  @IsOptionalNotNull()
  @IsIn(ROLES)
  role?: Role;

  /** A new password; the operator's other sessions end. */
  @IsOptionalNotNull()
  @IsString()
  @MinLength(MIN_PASSWORD_LENGTH)
  @MaxLength(MAX_PASSWORD_LENGTH)
  password?: string;
}
