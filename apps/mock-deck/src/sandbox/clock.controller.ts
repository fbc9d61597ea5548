import { Body, Controller, Get, HttpCode, HttpStatus, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';

import type { SandboxClockView } from '@app/deck';

import { SandboxClock } from '../scheduler/clock';
import { DeckError } from '../common/deck-error';
import { MAX_SANDBOX_MS, parseDuration } from '../common/duration';
import { Scheduler } from '../scheduler/scheduler.service';
import { AdvanceClockDto, ScaleClockDto } from './dto/clock.dto';

/**
 * The sandbox's clock. It is one clock for the whole sandbox, shared by every
 * organisation: freezing it freezes everyone's runs and deliveries.
 */
@ApiTags('Sandbox')
@ApiBearerAuth()
@Controller('sandbox/clock')
export class ClockController {
  constructor(
    private readonly clock: SandboxClock,
    private readonly scheduler: Scheduler,
  ) {}

  /** Sandbox time, whether it is frozen, and its speed. */
  @Get()
  get(): SandboxClockView {
    return this.view();
  }

  /** Stops sandbox time: nothing falls due until it is advanced or resumed. */
  @Post('freeze')
  @HttpCode(HttpStatus.OK)
  freeze(): SandboxClockView {
    this.clock.freeze();
    return this.view();
  }

  /** Lets sandbox time run again from where it stood. */
  @Post('resume')
  @HttpCode(HttpStatus.OK)
  resume(): SandboxClockView {
    this.clock.resume();
    return this.view();
  }

  /** Jumps sandbox time forward; answers once everything that fell due in between has run. */
  @Post('advance')
  @HttpCode(HttpStatus.OK)
  async advance(@Body() dto: AdvanceClockDto): Promise<SandboxClockView> {
    try {
      this.clock.advance(parseDuration(dto.by) ?? 0);
    } catch (error: unknown) {
      // The clock checks its own headroom, so a running clock cannot pass the limit between a check and the jump.
      if (error instanceof RangeError) {
        throw new DeckError(
          'input_invalid',
          `\`by\` would move the clock past ${new Date(MAX_SANDBOX_MS).toISOString()}, the latest time the sandbox keeps.`,
          'by',
        );
      }
      throw error;
    }
    await this.scheduler.settle();
    return this.view();
  }

  /** Sets how many sandbox seconds pass per real second. */
  @Put('scale')
  scale(@Body() dto: ScaleClockDto): SandboxClockView {
    this.clock.setScale(dto.scale);
    return this.view();
  }

  private view(): SandboxClockView {
    return {
      object: 'sandbox_clock',
      now: this.clock.now().toISOString(),
      frozen: this.clock.isFrozen(),
      scale: this.clock.getScale(),
    };
  }
}
