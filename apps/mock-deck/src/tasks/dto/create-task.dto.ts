import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

import { TASK_STATUSES, TaskStatus } from '@app/deck';

import { IsOmittable } from '../../common/validation';

export class TaskStorageDto {
  @IsDefined()
  @IsBoolean()
  enabled!: boolean;

  @IsOmittable()
  @IsBoolean()
  extraction?: boolean;

  @ValidateIf((_o, v) => v !== null)
  @IsOptional()
  @IsObject()
  extraction_schema?: Record<string, unknown> | null;

  @ValidateIf((_o, v) => v !== null)
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  extraction_prompt?: string | null;

  @IsOmittable()
  @IsBoolean()
  deduplication?: boolean;

  @ValidateIf((_o, v) => v !== null)
  @IsOptional()
  @IsObject()
  deduplication_schema?: Record<string, unknown> | null;
}

/** Plan cap on a task's timeout in the sandbox: four hours. */
export const MAX_TASK_TIMEOUT_SECONDS = 4 * 60 * 60;

export class TaskSettingsDto {
  /** Hard limit on a run, in seconds (default 1800). */
  @ValidateIf((_o, v) => v !== undefined)
  @IsInt()
  @Min(1)
  @Max(MAX_TASK_TIMEOUT_SECONDS)
  timeout_seconds?: number;
}

/** Fields a task can be created or patched with. */
export class TaskFieldsDto {
  @ValidateIf((_o, v) => v !== null)
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  prompt?: string | null;

  @ValidateIf((_o, v) => v !== null)
  @IsOptional()
  @IsObject()
  input_schema?: Record<string, unknown> | null;

  @ValidateIf((_o, v) => v !== null)
  @IsOptional()
  @IsObject()
  output_schema?: Record<string, unknown> | null;

  @ValidateIf((_o, v) => v !== null)
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => TaskStorageDto)
  storage?: TaskStorageDto | null;

  @ValidateIf((_o, v) => v !== undefined)
  @IsBoolean()
  extraction?: boolean;

  @IsOmittable()
  @IsObject()
  @ValidateNested()
  @Type(() => TaskSettingsDto)
  settings?: TaskSettingsDto;
}

export class CreateTaskDto extends TaskFieldsDto {
  /** Optional id of your choosing, `task_` and up to 35 letters, digits, `_` or `-`. */
  @IsOmittable()
  @IsString()
  @Matches(/^task_[A-Za-z0-9_-]{1,35}$/)
  id?: string;

  @IsDefined()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  name!: string;

  /** The agent that runs the task (`agt_…`). */
  @IsDefined()
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  agent_id!: string;
}

/** Absent fields are left as they are; `null` is refused for fields a task cannot be without. */
export class UpdateTaskDto extends TaskFieldsDto {
  @ValidateIf((_o, v) => v !== undefined)
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  name?: string;

  @ValidateIf((_o, v) => v !== undefined)
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  agent_id?: string;

  /** Deck moves tasks through `learning`, `test` and `live`; an update may set any of them. */
  @ValidateIf((_o, v) => v !== undefined)
  @IsIn(TASK_STATUSES)
  status?: TaskStatus;
}
