import { Body, Controller, Delete, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';

import type { DeckAgent, DeckDeleted, DeckList } from '@app/deck';

import { ListQueryDto } from '../common/query-transforms';
import { CurrentOrg } from '../orgs/current-org.decorator';
import type { Organization } from '../orgs/organization.entity';
import { AgentsService } from './agents.service';
import { CreateAgentDto } from './dto/create-agent.dto';
import { UpdateAgentDto } from './dto/update-agent.dto';

@ApiTags('Agents')
@ApiBearerAuth()
@Controller('v2/agents')
export class AgentsController {
  constructor(private readonly agents: AgentsService) {}

  /** Creates an agent. */
  @Post()
  create(@CurrentOrg() org: Organization, @Body() dto: CreateAgentDto): Promise<DeckAgent> {
    return this.agents.create(org.id, dto);
  }

  /** Lists agents, newest first. */
  @Get()
  list(@CurrentOrg() org: Organization, @Query() query: ListQueryDto): Promise<DeckList<DeckAgent>> {
    return this.agents.list(org.id, query);
  }

  /** Retrieves an agent with its tasks. */
  @Get(':agent_id')
  get(@CurrentOrg() org: Organization, @Param('agent_id') id: string): Promise<DeckAgent> {
    return this.agents.get(org.id, id);
  }

  /** Updates an agent's name or description. */
  @Patch(':agent_id')
  update(
    @CurrentOrg() org: Organization,
    @Param('agent_id') id: string,
    @Body() dto: UpdateAgentDto,
  ): Promise<DeckAgent> {
    return this.agents.update(org.id, id, dto);
  }

  /** Deletes an agent. */
  @Delete(':agent_id')
  remove(@CurrentOrg() org: Organization, @Param('agent_id') id: string): Promise<DeckDeleted> {
    return this.agents.remove(org.id, id);
  }
}
