import { IsEmail, IsString, Matches, MaxLength, MinLength } from 'class-validator';

import type { UpdateCredentialRequest } from '@app/contracts';

import { IsOptionalNotNull } from '../../common/optional-field';
import { IsSourceFields, MAX_PASSWORD_LENGTH, MAX_USERNAME_LENGTH, NotWith } from './login-fields';

/** New login details (at least one field); the credential goes back to unverified. */
export class UpdateCredentialDto implements UpdateCredentialRequest {
  @IsOptionalNotNull()
  @IsString()
  @IsEmail({ require_tld: false }, { message: 'email must be an e-mail address' })
  @MaxLength(254)
  email?: string;

  @IsOptionalNotNull()
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_USERNAME_LENGTH)
  @Matches(/\S/, { message: 'username must not be blank' })
  @NotWith('email')
  username?: string;

  /** Forwarded byte for byte, like on create. */
  @IsOptionalNotNull()
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_PASSWORD_LENGTH)
  password?: string;

  @IsOptionalNotNull()
  @IsSourceFields()
  source_fields?: Record<string, string>;
}
