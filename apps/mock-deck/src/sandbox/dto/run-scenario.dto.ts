import { IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';

import { IsOmittable } from '../../common/validation';

export class RunScenarioDto {
  /** Source for the new credential; the organisation's first seeded source by default. */
  @IsOmittable()
  @IsString()
  @MaxLength(64)
  source_id?: string;

  /** Task to run; the seeded "Verify login" task by default. */
  @IsOmittable()
  @IsString()
  @MaxLength(64)
  task_id?: string;

  @ValidateIf((_o, v) => v !== null)
  @IsOptional()
  @IsString()
  @MaxLength(255)
  external_id?: string | null;
}
