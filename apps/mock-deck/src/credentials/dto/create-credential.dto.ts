import { Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

import { AUTH_METHODS, AuthMethod } from '@app/deck';

import { AuthCredentialsDto } from './auth-credentials.dto';

export class CreateCredentialDto {
  /** The source this login is for (`src_…`). */
  @IsDefined()
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  source_id!: string;

  /** Defaults to `none`. */
  @ValidateIf((_o, v) => v !== undefined)
  @IsIn(AUTH_METHODS)
  auth_method?: AuthMethod;

  @ValidateIf((_o, v) => v !== undefined)
  @IsObject()
  @ValidateNested()
  @Type(() => AuthCredentialsDto)
  auth_credentials?: AuthCredentialsDto;

  /** Your own id for the user or tenant; not unique. */
  @ValidateIf((_o, v) => v !== null)
  @IsOptional()
  @IsString()
  @MaxLength(255)
  external_id?: string | null;
}
