import { IsDefined, IsEmail, IsIn, IsString, MaxLength, MinLength } from 'class-validator';

import { type CreateOperatorRequest, type Role, ROLES } from '@app/contracts';

/** At least 12 characters (ASVS 6.2.1); long passphrases welcome. */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 128;

export class CreateOperatorDto implements CreateOperatorRequest {
  @IsDefined()
  @IsEmail({ require_tld: false })
  @MaxLength(254)
  email!: string;

  @IsDefined()
  @IsString()
  @MinLength(MIN_PASSWORD_LENGTH)
  @MaxLength(MAX_PASSWORD_LENGTH)
  password!: string;

  /** viewer (read), operator (answer prompts, verify, update, delete) or admin (also manage operators). */
  @IsDefined()
  @IsIn(ROLES)
  role!: Role;
}
