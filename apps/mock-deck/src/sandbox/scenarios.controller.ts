import { Body, Controller, Delete, Get, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';

import type { ScenarioView } from '@app/deck';

import { MAX_BODY_DEPTH, textNestingDepth } from '../common/body-guards';
import { DeckError } from '../common/deck-error';
import { CurrentOrg } from '../orgs/current-org.decorator';
import type { Organization } from '../orgs/organization.entity';
import { ScenariosService } from '../scenarios/scenarios.service';
import { RunScenarioDto } from './dto/run-scenario.dto';
import { SandboxActionsService } from './sandbox-actions.service';

@ApiTags('Sandbox')
@ApiBearerAuth()
@Controller('sandbox/scenarios')
export class ScenariosController {
  constructor(
    private readonly scenarios: ScenariosService,
    private readonly actions: SandboxActionsService,
  ) {}

  /** Every scenario a username can pick: built-in, from the folder, and this organisation's uploads. */
  @Get()
  async list(@CurrentOrg() org: Organization): Promise<{ object: 'list'; data: ScenarioView[] }> {
    return { object: 'list', data: await this.scenarios.list(org.id) };
  }

  /** One scenario with its full timeline. */
  @Get(':name')
  get(@CurrentOrg() org: Organization, @Param('name') name: string): Promise<ScenarioView> {
    return this.scenarios.get(org.id, name);
  }

  /**
   * Uploads a scenario for this organisation (replacing one of the same name):
   * a JSON body, or YAML text with `Content-Type: application/yaml`. A bad file
   * is refused with every problem listed, each at its path.
   */
  @Post()
  @ApiConsumes('application/json', 'application/yaml')
  @ApiBody({ description: 'A scenario (see README, "Scenario files")', schema: { type: 'object' } })
  upload(@CurrentOrg() org: Organization, @Req() request: Request): Promise<ScenarioView> {
    const body: unknown = request.body;
    if (typeof body !== 'string' && (typeof body !== 'object' || body === null || Array.isArray(body))) {
      throw new DeckError(
        'body_invalid',
        'Send the scenario as a JSON object or as YAML text (Content-Type: application/yaml).',
      );
    }
    if (typeof body === 'string' && textNestingDepth(body) > MAX_BODY_DEPTH) {
      // The YAML parser recurses; refuse before it runs.
      throw new DeckError('body_invalid', `The scenario file is nested deeper than ${MAX_BODY_DEPTH} levels.`);
    }
    return this.scenarios.upload(org.id, body);
  }

  /** Removes an uploaded scenario (built-in and folder scenarios stay). */
  @Delete(':name')
  remove(@CurrentOrg() org: Organization, @Param('name') name: string): ReturnType<ScenariosService['remove']> {
    return this.scenarios.remove(org.id, name);
  }

  /** Plays a scenario: a new credential whose username names it, and a run of the verification task. */
  @Post(':name/run')
  run(
    @CurrentOrg() org: Organization,
    @Param('name') name: string,
    @Body() dto: RunScenarioDto,
  ): ReturnType<SandboxActionsService['runScenario']> {
    return this.actions.runScenario(org.id, name, dto);
  }
}
