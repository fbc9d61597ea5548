import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';

import type { DeckList, DeckTaskRun } from '@app/deck';

import { CurrentOrg } from '../orgs/current-org.decorator';
import type { Organization } from '../orgs/organization.entity';
import { GetTaskRunQueryDto } from './dto/get-task-run-query.dto';
import { ListTaskRunsQueryDto } from './dto/list-task-runs-query.dto';
import { RunTaskDto } from './dto/run-task.dto';
import { SubmitInteractionDto } from './dto/submit-interaction.dto';
import { TaskRunsService } from './task-runs.service';

@ApiTags('Task Runs')
@ApiBearerAuth()
@Controller('v2')
export class TaskRunsController {
  constructor(private readonly runs: TaskRunsService) {}

  /** Runs a task; the run starts `queued` and moves on by itself. Watch events or poll the run. */
  @ApiTags('Tasks')
  @Post('tasks/:task_id/run')
  run(
    @CurrentOrg() org: Organization,
    @Param('task_id') taskId: string,
    @Body() dto: RunTaskDto,
  ): Promise<DeckTaskRun> {
    return this.runs.create(org.id, taskId, dto);
  }

  /** Lists task runs, newest first. */
  @Get('task-runs')
  list(@CurrentOrg() org: Organization, @Query() query: ListTaskRunsQueryDto): Promise<DeckList<DeckTaskRun>> {
    return this.runs.list(org.id, query);
  }

  /** Retrieves a task run; `include` adds input, storage or artifacts. */
  @Get('task-runs/:run_id')
  get(
    @CurrentOrg() org: Organization,
    @Param('run_id') id: string,
    @Query() query: GetTaskRunQueryDto,
  ): Promise<DeckTaskRun> {
    return this.runs.get(org.id, id, query);
  }

  /** Answers the run's open interaction; every field in one request. */
  @Post('task-runs/:run_id/interaction')
  @HttpCode(HttpStatus.OK)
  submitInteraction(
    @CurrentOrg() org: Organization,
    @Param('run_id') id: string,
    @Body() dto: SubmitInteractionDto,
  ): Promise<DeckTaskRun> {
    return this.runs.submitInteraction(org.id, id, dto);
  }

  /** Cancels a run that has not finished. */
  @Post('task-runs/:run_id/cancel')
  @HttpCode(HttpStatus.OK)
  cancel(@CurrentOrg() org: Organization, @Param('run_id') id: string): Promise<DeckTaskRun> {
    return this.runs.cancel(org.id, id);
  }
}
