import { Type } from 'class-transformer';
import { IsObject, IsOptional, IsString, MaxLength, ValidateIf, ValidateNested } from 'class-validator';

import { AuthCredentialsDto } from './auth-credentials.dto';

export class UpdateCredentialDto {
  /** New login details; the credential goes back to `unverified`. */
  @ValidateIf((_o, v) => v !== undefined)
  @IsObject()
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
