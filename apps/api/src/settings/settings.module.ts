import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { SettingRow } from './setting.entity';
import { SettingsService } from './settings.service';

/** Durable key/value settings (watermarks, the registered destination's id); import it to use them. */
@Module({
  imports: [TypeOrmModule.forFeature([SettingRow])],
  providers: [SettingsService],
  exports: [SettingsService],
})
export class SettingsModule {}
