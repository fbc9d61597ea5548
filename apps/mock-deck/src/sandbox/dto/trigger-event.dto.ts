import { IsDefined, IsIn, IsObject, IsString, MaxLength } from 'class-validator';

import { EVENT_TYPES, EventType } from '@app/deck';

import { IsOmittable } from '../../common/validation';

export class TriggerEventDto {
  /** Any v2 event type, e.g. `credential.invalid`. */
  @IsDefined()
  @IsIn(EVENT_TYPES)
  type!: EventType;

  /** The object the event is about; defaults to the organisation's newest object of that kind. */
  @IsOmittable()
  @IsString()
  @MaxLength(64)
  object_id?: string;

  /** Shorthand for `object_id` with a credential. */
  @IsOmittable()
  @IsString()
  @MaxLength(64)
  credential_id?: string;

  /** Fields that replace the object's snapshot fields at the top level of `data`. */
  @IsOmittable()
  @IsObject()
  data?: Record<string, unknown>;
}
