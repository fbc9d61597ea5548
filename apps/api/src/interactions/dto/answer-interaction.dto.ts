import { IsDefined, IsObject } from 'class-validator';

import type { AnswerInteractionRequest } from '@app/contracts';

export class AnswerInteractionDto implements AnswerInteractionRequest {
  /**
   * One text value per field of the prompt, keyed by the field's `name`
   * (at most 10 fields, 1000 characters each). Forwarded to Deck, never stored.
   * @example { "code": "123456" }
   */
  @IsDefined()
  @IsObject()
  input!: Record<string, string>;
}
