import { IsDefined, IsIn, IsOptional, IsString, Matches } from 'class-validator';

import type { CredentialStatus } from '@app/deck';

export class ForceCredentialStatusDto {
  /** The status to move the credential to (use DELETE /v2/credentials/:id to delete it). */
  @IsDefined()
  @IsIn(['unverified', 'verified', 'invalid'])
  status!: Exclude<CredentialStatus, 'deleted'>;

  /** Make the change this much sandbox time from now instead (`3d`, `90m`): a credential that breaks later. */
  @IsOptional()
  @IsString()
  @Matches(/^(\d+(\.\d+)?(ms|s|m|h|d))+$/, { message: 'after must be a duration such as 90s, 10m or 3d' })
  after?: string;
}
