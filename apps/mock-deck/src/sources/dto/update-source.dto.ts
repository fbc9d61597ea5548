import { Type } from 'class-transformer';
import { IsNotEmpty, IsOptional, IsString, MaxLength, ValidateIf, ValidateNested } from 'class-validator';

import { WebsiteDto } from './create-source.dto';

export class UpdateSourceDto {
  @ValidateIf((_o, v) => v !== null)
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  name?: string | null;

  @IsOptional()
  @ValidateNested()
  @Type(() => WebsiteDto)
  website?: WebsiteDto;
}
