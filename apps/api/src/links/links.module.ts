import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { SourcesModule } from '../sources/sources.module';
import { LinkTokenRow } from './link-token.entity';
import { LinksController } from './links.controller';
import { LinksService } from './links.service';

@Module({
  imports: [TypeOrmModule.forFeature([LinkTokenRow]), SourcesModule],
  controllers: [LinksController],
  providers: [LinksService],
})
export class LinksModule {}
