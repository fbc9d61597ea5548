import { IsObject } from 'class-validator';

import { IsOmittable } from '../../common/validation';

/** Answers keyed by the interaction's field names, all in one request. */
export class SubmitInteractionDto {
  @IsOmittable()
  @IsObject()
  input?: Record<string, unknown>;

  /** Early v2 name of `input`, still accepted. */
  @IsOmittable()
  @IsObject()
  inputs?: Record<string, unknown>;
}
