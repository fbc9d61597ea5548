import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import type { AuditEntryView, OperatorView, Page } from '@app/contracts';

import { AuditLogService } from '../audit/audit-log.service';
import { RequireRole } from '../auth/access.decorators';
import { Actor, CurrentActor } from '../auth/request-actor';
import { ApiError } from '../common/api-error';
import { CreateOperatorDto } from './dto/create-operator.dto';
import { ListAuditQueryDto } from './dto/list-audit.query';
import { UpdateOperatorDto } from './dto/update-operator.dto';
import { OperatorsService } from './operators.service';

/** Only operator sessions reach admin routes; this narrows the type for the service. */
function operatorOf(actor: Actor): Extract<Actor, { kind: 'operator' }> {
  if (actor.kind !== 'operator') {
    throw new ApiError('forbidden', 'This needs the admin role.');
  }
  return actor;
}

@ApiTags('Operators')
@RequireRole('admin')
@Controller('api')
export class OperatorsController {
  constructor(
    private readonly operators: OperatorsService,
    private readonly auditLog: AuditLogService,
  ) {}

  @Get('operators')
  list(): Promise<OperatorView[]> {
    return this.operators.list();
  }

  /** A new operator; 409 when the e-mail is taken. */
  @Post('operators')
  create(@CurrentActor() actor: Actor, @Body() dto: CreateOperatorDto): Promise<OperatorView> {
    return this.operators.create(operatorOf(actor), dto);
  }

  /** A new role and/or password; 409 for your own demotion or the last admin's. */
  @Patch('operators/:id')
  update(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: UpdateOperatorDto): Promise<OperatorView> {
    return this.operators.update(operatorOf(actor), id, dto);
  }

  /** Removes an operator and ends its sessions; 409 for yourself or the last admin. */
  @Delete('operators/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  remove(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<void> {
    return this.operators.remove(operatorOf(actor), id);
  }

  /** The audit log, newest first. */
  @Get('audit')
  audit(@Query() query: ListAuditQueryDto): Promise<Page<AuditEntryView>> {
    return this.auditLog.list(query);
  }
}
