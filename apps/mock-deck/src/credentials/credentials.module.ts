import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { SourcesModule } from '../sources/sources.module';
import { Credential } from './credential.entity';
import { CredentialsController } from './credentials.controller';
import { CredentialSchedule } from './credential-schedule.service';
import { CredentialsService } from './credentials.service';

@Module({
  imports: [TypeOrmModule.forFeature([Credential]), SourcesModule],
  controllers: [CredentialsController],
  providers: [CredentialsService, CredentialSchedule],
  exports: [CredentialsService],
})
export class CredentialsModule {}
