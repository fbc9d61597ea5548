import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

import { TASK_STATUSES, TaskStatus } from '@app/deck';

import { ListQueryDto, ToStringArray } from '../../common/query-transforms';

export class ListTasksQueryDto extends ListQueryDto {
  @IsOptional()
  @IsString()
  @MaxLength(64)
  agent_id?: string;

  @IsOptional()
  @ToStringArray()
  @IsIn(TASK_STATUSES, { each: true })
  status?: TaskStatus[];
}
