import { Module } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';

import { apiConfig } from '../config/api.config';
import { ConnectAddressLimit } from '../credentials/connect-throttle';
import { LinkTokenRow } from '../links/link-token.entity';
import { AccessGuard } from './access.guard';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { createCsrf, CSRF } from './csrf';
import { OperatorSessionRow } from './operator-session.entity';
import { OperatorRow } from './operator.entity';

@Module({
  imports: [TypeOrmModule.forFeature([OperatorRow, OperatorSessionRow, LinkTokenRow])],
  controllers: [AuthController],
  providers: [
    AuthService,
    AccessGuard,
    ConnectAddressLimit,
    {
      provide: CSRF,
      inject: [apiConfig.KEY],
      useFactory: (config: ConfigType<typeof apiConfig>) => createCsrf(config.publicUrl.startsWith('https:')),
    },
  ],
  exports: [AuthService, AccessGuard, CSRF],
})
export class AuthModule {}
