import { IsDefined, IsIn } from 'class-validator';

import type { CredentialStatus } from '@app/deck';

import { IsDuration } from '../is-duration';
import { IsOmittable } from '../../common/validation';

export class ForceCredentialStatusDto {
  /** The status to move the credential to (use DELETE /v2/credentials/:id to delete it). */
  @IsDefined()
  @IsIn(['unverified', 'verified', 'invalid'])
  status!: Exclude<CredentialStatus, 'deleted'>;

  /** Make the change this much sandbox time from now instead (`3d`, `90m`, at most `3650d`): a credential that breaks later. */
  @IsOmittable()
  @IsDuration()
  after?: string;
}
