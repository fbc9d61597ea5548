import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsDefined,
  IsIn,
  IsJSON,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

import { ALL_EVENTS, EVENT_DESTINATION_TYPES, EVENT_TYPES, EventDestinationType } from '@app/deck';

import { IsOmittable } from '../../common/validation';

/** `whsec_` and the base64 of 24 to 64 random bytes (Standard Webhooks). */
export const WEBHOOK_SECRET_PATTERN = /^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/;

export class WebhookConfigDto {
  /** Where to POST events: an absolute http(s) URL. */
  @IsDefined()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  @MaxLength(2048)
  url!: string;

  /** A JSON-encoded object of extra headers sent with every delivery. */
  @ValidateIf((_o, v) => v !== null)
  @IsOptional()
  @IsString()
  @IsJSON()
  @MaxLength(8192)
  custom_headers?: string | null;

  /** Your own signing secret; one is generated when left out. */
  @IsOmittable()
  @Matches(WEBHOOK_SECRET_PATTERN, { message: 'secret must be whsec_ followed by the base64 of 24 to 64 bytes' })
  secret?: string;
}

/** The older destination body kept its secret in a separate block. */
export class LegacyCredentialsDto {
  @IsOmittable()
  @Matches(WEBHOOK_SECRET_PATTERN, { message: 'secret must be whsec_ followed by the base64 of 24 to 64 bytes' })
  secret?: string;
}

/**
 * In a PATCH every webhook setting is optional (`{secret}` alone rotates the
 * secret), but one that is given must be valid: `null` is refused where it
 * would leave the destination without a url or secret.
 */
export class WebhookConfigUpdateDto {
  @ValidateIf((_o, v) => v !== undefined)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  @MaxLength(2048)
  url?: string;

  @ValidateIf((_o, v) => v !== null)
  @IsOptional()
  @IsString()
  @IsJSON()
  @MaxLength(8192)
  custom_headers?: string | null;

  /** A new secret rotates it: the old one keeps signing for 24 h. */
  @ValidateIf((_o, v) => v !== undefined)
  @Matches(WEBHOOK_SECRET_PATTERN, { message: 'secret must be whsec_ followed by the base64 of 24 to 64 bytes' })
  secret?: string;
}

/** The type-keyed configs of the other destination types and the older `credentials` block. */
export class EventDestinationFieldsDto {
  @IsOptional() @IsObject() aws_sqs?: Record<string, unknown>;
  @IsOptional() @IsObject() aws_kinesis?: Record<string, unknown>;
  @IsOptional() @IsObject() aws_s3?: Record<string, unknown>;
  @IsOptional() @IsObject() aws_eventbridge?: Record<string, unknown>;
  @IsOptional() @IsObject() gcp_pubsub?: Record<string, unknown>;
  @IsOptional() @IsObject() rabbitmq?: Record<string, unknown>;
  @IsOptional() @IsObject() azure_servicebus?: Record<string, unknown>;
  @IsOptional() @IsObject() hookdeck?: Record<string, unknown>;

  /** Older body shape: `credentials.secret`. */
  @IsOmittable()
  @ValidateNested()
  @Type(() => LegacyCredentialsDto)
  credentials?: LegacyCredentialsDto;
}

// `events`, `webhook` and `config` are declared on each body rather than on the
// shared base: an inherited @IsOptional() would skip the create body's @IsDefined().
export class CreateEventDestinationDto extends EventDestinationFieldsDto {
  @IsDefined()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  name!: string;

  /** Defaults to `webhook`. */
  @IsOmittable()
  @IsIn(EVENT_DESTINATION_TYPES)
  type?: EventDestinationType;

  /** Event types to receive, or `["*"]` for all. */
  @IsDefined()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(EVENT_TYPES.length)
  @IsIn([ALL_EVENTS, ...EVENT_TYPES], { each: true })
  events!: string[];

  @IsOmittable()
  @ValidateNested()
  @Type(() => WebhookConfigDto)
  webhook?: WebhookConfigDto;

  /** Older body shape: `config` holds the webhook settings. */
  @IsOmittable()
  @ValidateNested()
  @Type(() => WebhookConfigDto)
  config?: WebhookConfigDto;
}

/** Absent fields are left as they are; `null` is refused where the field cannot be empty. */
export class UpdateEventDestinationDto extends EventDestinationFieldsDto {
  @ValidateIf((_o, v) => v !== undefined)
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  name?: string;

  /** Turn deliveries off and on again. */
  @ValidateIf((_o, v) => v !== undefined)
  @IsIn(['active', 'inactive'])
  status?: 'active' | 'inactive';

  @ValidateIf((_o, v) => v !== undefined)
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(EVENT_TYPES.length)
  @IsIn([ALL_EVENTS, ...EVENT_TYPES], { each: true })
  events?: string[];

  @ValidateIf((_o, v) => v !== undefined)
  @IsObject()
  @ValidateNested()
  @Type(() => WebhookConfigUpdateDto)
  webhook?: WebhookConfigUpdateDto;

  /** Older body shape. */
  @ValidateIf((_o, v) => v !== undefined)
  @IsObject()
  @ValidateNested()
  @Type(() => WebhookConfigUpdateDto)
  config?: WebhookConfigUpdateDto;
}
