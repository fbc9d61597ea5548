import { IsDefined, IsString, Matches, MaxLength, MinLength } from 'class-validator';

import type { CreateLinkRequest } from '@app/contracts';

import { IsOptionalNotNull } from '../../common/optional-field';

export class CreateLinkDto implements CreateLinkRequest {
  /** Your id for the end user (Deck's `external_id`): every credential made through the link gets it. */
  @IsDefined()
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  @Matches(/\S/, { message: 'external_id must not be blank' })
  external_id!: string;

  /** Limits the link to one Deck source (`src_…`). */
  @IsOptionalNotNull()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  source_id?: string;
}
