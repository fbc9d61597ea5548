import { IsIn, IsOptional } from 'class-validator';

import { STATUS_CHANGE_WINDOWS, StatusChangeWindow } from '@app/contracts';

/** `GET /api/events/status-changes`: the last `day` (24 hourly buckets, the default) or `week` (168). */
export class StatusChangesQueryDto {
  @IsOptional()
  @IsIn(STATUS_CHANGE_WINDOWS)
  window?: StatusChangeWindow;
}
