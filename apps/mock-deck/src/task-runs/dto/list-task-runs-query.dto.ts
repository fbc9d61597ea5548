import { IsIn, IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';

import { TASK_RUN_RESULTS, TASK_RUN_STATUSES, TaskRunResult, TaskRunStatus } from '@app/deck';

import { ListQueryDto, ToStringArray } from '../../common/query-transforms';

export class ListTaskRunsQueryDto extends ListQueryDto {
  /** Either spelling of the cancelling status matches. */
  @IsOptional()
  @ToStringArray()
  @IsIn(TASK_RUN_STATUSES, { each: true })
  status?: TaskRunStatus[];

  @IsOptional()
  @ToStringArray()
  @IsString({ each: true })
  source_id?: string[];

  /** Filters on `result`; the filtering guide calls it `result`, so both names work. */
  @IsOptional()
  @ToStringArray()
  @IsIn(TASK_RUN_RESULTS, { each: true })
  outcome?: TaskRunResult[];

  @IsOptional()
  @ToStringArray()
  @IsIn(TASK_RUN_RESULTS, { each: true })
  result?: TaskRunResult[];

  @IsOptional()
  @IsString()
  @MaxLength(64)
  agent_id?: string;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  credential_id?: string;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  task_id?: string;

  /** Workflows are in preview: runs have none, so any value matches nothing. */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  workflow_id?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  created_after?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  created_before?: string;
}
