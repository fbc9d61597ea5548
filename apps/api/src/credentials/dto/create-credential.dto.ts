import { IsDefined, IsEmail, IsString, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';

import type { CreateCredentialRequest } from '@app/contracts';

import { IsOptionalNotNull } from '../../common/optional-field';
import { IsSourceFields, MAX_PASSWORD_LENGTH, MAX_USERNAME_LENGTH, NotWith } from './login-fields';

/**
 * The connect form's post (or an operator's). Optional fields may be left
 * out but not sent as null. The password is taken exactly as sent: never
 * trimmed or normalised, whitespace and any Unicode included.
 */
export class CreateCredentialDto implements CreateCredentialRequest {
  /** The Deck source to log in to (`src_…`); a link limited to one source must name that one. */
  @IsDefined()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  @Matches(/^\S+$/, { message: 'source_id must not contain spaces' })
  source_id!: string;

  /** The login as an e-mail address; give this or `username`. */
  @ValidateIf((o: CreateCredentialDto) => o.email !== undefined || o.username === undefined)
  @IsDefined({ message: 'email or username is required' })
  @IsString()
  @IsEmail({ require_tld: false }, { message: 'email must be an e-mail address' })
  @MaxLength(254)
  email?: string;

  /** The login when it is not an e-mail address; give this or `email`. */
  @ValidateIf((o: CreateCredentialDto) => o.username !== undefined)
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_USERNAME_LENGTH)
  @Matches(/\S/, { message: 'username must not be blank' })
  @NotWith('email')
  username?: string;

  /** Goes to Deck byte for byte and nowhere else (1–4096 characters). */
  @IsDefined()
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_PASSWORD_LENGTH)
  password!: string;

  /** Extra non-secret login values the source asks for (company id, tenant…). */
  @IsOptionalNotNull()
  @IsSourceFields()
  source_fields?: Record<string, string>;

  /** Operators name the end user; a connect link already does, so the connect page must not. */
  @IsOptionalNotNull()
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  @Matches(/\S/, { message: 'external_id must not be blank' })
  external_id?: string;
}
