import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';

import type { DeckDeleted, DeckList, DeckTask } from '@app/deck';

import { CurrentOrg } from '../orgs/current-org.decorator';
import type { Organization } from '../orgs/organization.entity';
import { CreateTaskDto, UpdateTaskDto } from './dto/create-task.dto';
import { ListTasksQueryDto } from './dto/list-tasks-query.dto';
import { TasksService } from './tasks.service';

@ApiTags('Tasks')
@ApiBearerAuth()
@Controller('v2/tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  /** Creates a task; it starts `learning`. */
  @Post()
  create(@CurrentOrg() org: Organization, @Body() dto: CreateTaskDto): Promise<DeckTask> {
    return this.tasks.create(org.id, dto);
  }

  /** Lists tasks, newest first. */
  @Get()
  list(@CurrentOrg() org: Organization, @Query() query: ListTasksQueryDto): Promise<DeckList<DeckTask>> {
    return this.tasks.list(org.id, query);
  }

  /** Retrieves a task. */
  @Get(':task_id')
  get(@CurrentOrg() org: Organization, @Param('task_id') id: string): Promise<DeckTask> {
    return this.tasks.get(org.id, id);
  }

  /** Updates a task. */
  @Patch(':task_id')
  update(@CurrentOrg() org: Organization, @Param('task_id') id: string, @Body() dto: UpdateTaskDto): Promise<DeckTask> {
    return this.tasks.update(org.id, id, dto);
  }

  /** Deletes a task; its runs stay readable. */
  @Delete(':task_id')
  remove(@CurrentOrg() org: Organization, @Param('task_id') id: string): Promise<DeckDeleted> {
    return this.tasks.remove(org.id, id);
  }

  /** Resets what the agent learned for this task. */
  @Post(':task_id/reset')
  @HttpCode(HttpStatus.OK)
  reset(@CurrentOrg() org: Organization, @Param('task_id') id: string): Promise<DeckTask> {
    return this.tasks.reset(org.id, id);
  }
}
