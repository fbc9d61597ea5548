import { Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

import { SOURCE_TYPES, SourceType } from '@app/deck';

export class WebsiteDto {
  /** The login or entry URL of the website. */
  @IsDefined()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  @MaxLength(2048)
  url!: string;
}

export class CreateSourceDto {
  /** Source kind; `website` is the only one. */
  @IsDefined()
  @IsIn(SOURCE_TYPES)
  type!: SourceType;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => WebsiteDto)
  website!: WebsiteDto;

  @ValidateIf((_o, v) => v !== null)
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  name?: string | null;
}
