import { Type } from 'class-transformer';
import { IsNotEmpty, IsObject, IsOptional, IsString, MaxLength, ValidateIf, ValidateNested } from 'class-validator';

import { WebsiteDto } from './create-source.dto';

export class UpdateSourceDto {
  @ValidateIf((_o, v) => v !== null)
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  name?: string | null;

  /** Absent leaves the website as it is; `null` is refused, a source always has one. */
  @ValidateIf((_o, v) => v !== undefined)
  @IsObject()
  @ValidateNested()
  @Type(() => WebsiteDto)
  website?: WebsiteDto;
}
