import { Type } from 'class-transformer';
import { IsOptional, IsString, MaxLength, ValidateIf, ValidateNested } from 'class-validator';

import { AuthCredentialsDto } from './auth-credentials.dto';

export class UpdateCredentialDto {
  /** New login details; the credential goes back to `unverified`. */
  @IsOptional()
  @ValidateNested()
  @Type(() => AuthCredentialsDto)
  auth_credentials?: AuthCredentialsDto;

  /** `null` removes the mapping. */
  @ValidateIf((_o, v) => v !== null)
  @IsOptional()
  @IsString()
  @MaxLength(255)
  external_id?: string | null;
}
