import { Controller, Get } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';

import { SandboxClock } from '../scheduler/clock';
import { Public } from '../common/public.decorator';

/** Liveness for scripts and the start command: no API key needed, no data shown. */
@ApiTags('Sandbox')
@Controller('health')
export class HealthController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: SandboxClock,
  ) {}

  /** Reports whether the sandbox and its database answer, and the sandbox time. */
  @Public()
  @Get()
  async check(): Promise<{ status: 'ok'; database: 'ok'; sandbox_time: string }> {
    await this.dataSource.query('SELECT 1');
    return { status: 'ok', database: 'ok', sandbox_time: this.clock.now().toISOString() };
  }
}
