import { IsEmail, IsString, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';

import type { UpdateCredentialRequest } from '@app/contracts';

import { IsSourceFields, MAX_PASSWORD_LENGTH, MAX_USERNAME_LENGTH, NotWith } from './login-fields';

/** New login details (at least one field); the credential goes back to unverified. */
export class UpdateCredentialDto implements UpdateCredentialRequest {
  @ValidateIf((_o, value) => value !== undefined)
  @IsString()
  @IsEmail({ require_tld: false }, { message: 'email must be an e-mail address' })
  @MaxLength(254)
  email?: string;

  @ValidateIf((_o, value) => value !== undefined)
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_USERNAME_LENGTH)
  @Matches(/\S/, { message: 'username must not be blank' })
  @NotWith('email')
  username?: string;

  /** Forwarded byte for byte, like on create. */
  @ValidateIf((_o, value) => value !== undefined)
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_PASSWORD_LENGTH)
  password?: string;

  @ValidateIf((_o, value) => value !== undefined)
  @IsSourceFields()
  source_fields?: Record<string, string>;
}
