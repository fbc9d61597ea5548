import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { ApiKeyGuard } from './api-key.guard';
import { Organization } from './organization.entity';
import { OrgsService } from './orgs.service';

@Module({
  imports: [TypeOrmModule.forFeature([Organization])],
  providers: [OrgsService, ApiKeyGuard],
  exports: [OrgsService, ApiKeyGuard],
})
export class OrgsModule {}
