import { IsIn, IsOptional } from 'class-validator';

import { STATUS_CHANGE_WINDOWS, StatusChangeWindow } from '@app/contracts';

/** `GET /api/events/status-changes`. */
export class StatusChangesQueryDto {
  /** `day` (the last 24 hours, the default) or `week` (the last 168), one bucket per hour. */
  @IsOptional()
  @IsIn(STATUS_CHANGE_WINDOWS)
  window?: StatusChangeWindow;
}
