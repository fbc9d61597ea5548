import { All, Controller, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';

import { RequireRole } from '../auth/access.decorators';
import { Actor, CurrentActor } from '../auth/request-actor';
import { SandboxService } from './sandbox.service';

@ApiTags('Sandbox')
@Controller('api/sandbox')
export class SandboxController {
  constructor(private readonly sandbox: SandboxService) {}

  /**
   * Passes an operator's request to the sandbox's control plane (`/sandbox/*`)
   * and answers with its status and body. 404 when Deck is not the sandbox.
   */
  @RequireRole('operator')
  @All('*path')
  async pass(
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    const answer = await this.sandbox.pass(actor, req.method, req.originalUrl, req.body as unknown);
    res.status(answer.status);
    return answer.body;
  }
}
