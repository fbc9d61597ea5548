import { IsDefined, IsIn, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';

import { EVENT_TYPES, EventType } from '@app/deck';

export class TriggerEventDto {
  /** Any v2 event type, e.g. `credential.invalid`. */
  @IsDefined()
  @IsIn(EVENT_TYPES)
  type!: EventType;

  /** The object the event is about; defaults to the organisation's newest object of that kind. */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  object_id?: string;

  /** Shorthand for `object_id` with a credential. */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  credential_id?: string;

  /** Fields that replace the object's snapshot fields at the top level of `data`. */
  @IsOptional()
  @IsObject()
  data?: Record<string, unknown>;
}
