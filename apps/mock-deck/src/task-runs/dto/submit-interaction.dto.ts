import { IsObject, IsOptional } from 'class-validator';

/** Answers keyed by the interaction's field names, all in one request. */
export class SubmitInteractionDto {
  @IsOptional()
  @IsObject()
  input?: Record<string, unknown>;

  /** Early v2 name of `input`, still accepted. */
  @IsOptional()
  @IsObject()
  inputs?: Record<string, unknown>;
}
