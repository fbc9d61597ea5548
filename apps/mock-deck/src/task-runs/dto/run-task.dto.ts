import { IsOptional, IsString, MaxLength, NotEquals, ValidateIf } from 'class-validator';

import { IsOmittable } from '../../common/validation';

export class RunTaskDto {
  /** Log in with this credential (`cred_…`); its source is used. */
  @ValidateIf((_o, v) => v !== null)
  @IsOptional()
  @IsString()
  @MaxLength(64)
  credential_id?: string | null;

  /** Run against this source (`src_…`) when no credential is given. */
  @ValidateIf((_o, v) => v !== null)
  @IsOptional()
  @IsString()
  @MaxLength(64)
  source_id?: string | null;

  /** Reuse an open session (`sess_…`), keeping its browser state. */
  @ValidateIf((_o, v) => v !== null)
  @IsOptional()
  @IsString()
  @MaxLength(64)
  session_id?: string | null;

  /** Checked against the task's `input_schema` before the run exists. */
  @IsOmittable()
  // Any JSON value is taken, so no type rule refuses null; the run would store it as "no input".
  @NotEquals(null, { message: '$property must not be null: leave it out to run without input' })
  input?: unknown;

  /** Your own tracing id for the run. */
  @IsOmittable()
  @IsString()
  @MaxLength(255)
  request_id?: string;
}
