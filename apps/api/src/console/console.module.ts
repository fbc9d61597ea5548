import { Module } from '@nestjs/common';

import { SettingsModule } from '../settings/settings.module';
import { ConsoleController } from './console.controller';
import { ConsoleService } from './console.service';

/** Facts about this api the dashboard needs up front (sandbox or real Deck). */
@Module({
  imports: [SettingsModule],
  controllers: [ConsoleController],
  providers: [ConsoleService],
})
export class ConsoleModule {}
