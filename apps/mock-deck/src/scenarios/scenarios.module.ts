import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { Scenario } from './scenario.entity';
import { ScenariosService } from './scenarios.service';

@Module({
  imports: [TypeOrmModule.forFeature([Scenario])],
  providers: [ScenariosService],
  exports: [ScenariosService],
})
export class ScenariosModule {}
