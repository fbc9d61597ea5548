import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

import { CREDENTIAL_STATUSES, CredentialStatus } from '@app/deck';

import { ListQueryDto, ToStringArray } from '../../common/query-transforms';

export class ListCredentialsQueryDto extends ListQueryDto {
  @IsOptional()
  @ToStringArray()
  @IsString({ each: true })
  source_id?: string[];

  @IsOptional()
  @ToStringArray()
  @IsIn(CREDENTIAL_STATUSES, { each: true })
  status?: CredentialStatus[];

  @IsOptional()
  @IsString()
  @MaxLength(255)
  external_id?: string;
}
