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
  @IsOptional()
  @Matches(WEBHOOK_SECRET_PATTERN, { message: 'secret must be whsec_ followed by the base64 of 24 to 64 bytes' })
  secret?: string;
}

/** The older destination body kept its secret in a separate block. */
export class LegacyCredentialsDto {
  @IsOptional()
  @Matches(WEBHOOK_SECRET_PATTERN, { message: 'secret must be whsec_ followed by the base64 of 24 to 64 bytes' })
  secret?: string;
}

export class EventDestinationFieldsDto {
  /** Event types to receive, or `["*"]` for all. */
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(EVENT_TYPES.length)
  @IsIn([ALL_EVENTS, ...EVENT_TYPES], { each: true })
  events?: string[];

  @IsOptional()
  @ValidateNested()
  @Type(() => WebhookConfigDto)
  webhook?: WebhookConfigDto;

  @IsOptional() @IsObject() aws_sqs?: Record<string, unknown>;
  @IsOptional() @IsObject() aws_kinesis?: Record<string, unknown>;
  @IsOptional() @IsObject() aws_s3?: Record<string, unknown>;
  @IsOptional() @IsObject() aws_eventbridge?: Record<string, unknown>;
  @IsOptional() @IsObject() gcp_pubsub?: Record<string, unknown>;
  @IsOptional() @IsObject() rabbitmq?: Record<string, unknown>;
  @IsOptional() @IsObject() azure_servicebus?: Record<string, unknown>;
  @IsOptional() @IsObject() hookdeck?: Record<string, unknown>;

  /** Older body shape: `config` holds the webhook settings. */
  @IsOptional()
  @ValidateNested()
  @Type(() => WebhookConfigDto)
  config?: WebhookConfigDto;

  /** Older body shape: `credentials.secret`. */
  @IsOptional()
  @ValidateNested()
  @Type(() => LegacyCredentialsDto)
  credentials?: LegacyCredentialsDto;
}

export class CreateEventDestinationDto extends EventDestinationFieldsDto {
  @IsDefined()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  name!: string;

  /** Defaults to `webhook`. */
  @IsOptional()
  @IsIn(EVENT_DESTINATION_TYPES)
  type?: EventDestinationType;

  @IsDefined()
  declare events: string[];
}

export class UpdateEventDestinationDto extends EventDestinationFieldsDto {
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  name?: string;

  /** Turn deliveries off and on again. */
  @IsOptional()
  @IsIn(['active', 'inactive'])
  status?: 'active' | 'inactive';
}
