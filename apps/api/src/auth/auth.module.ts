import { Module } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';

import { apiConfig } from '../config/api.config';
import { AccessGuard } from './access.guard';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { ConnectAddressLimit } from './connect-throttle';
import { createCsrf, CSRF } from './csrf';
import { LinkTokenRow } from './link-token.entity';
import { LinkTokens } from './link-tokens';
import { OperatorAccounts } from './operator-accounts';
import { OperatorSessionRow } from './operator-session.entity';
import { OperatorRow } from './operator.entity';

@Module({
  imports: [TypeOrmModule.forFeature([OperatorRow, OperatorSessionRow, LinkTokenRow])],
  controllers: [AuthController],
  providers: [
    AuthService,
    AccessGuard,
    ConnectAddressLimit,
    LinkTokens,
    OperatorAccounts,
    {
      provide: CSRF,
      inject: [apiConfig.KEY],
      useFactory: (config: ConfigType<typeof apiConfig>) => createCsrf(config.publicUrl.startsWith('https:')),
    },
  ],
  exports: [AuthService, AccessGuard, CSRF, LinkTokens, OperatorAccounts],
})
export class AuthModule {}
