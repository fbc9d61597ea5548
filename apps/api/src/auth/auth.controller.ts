import { Body, Controller, Get, HttpCode, HttpStatus, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import type { Request, Response } from 'express';

import type { OperatorView } from '@app/contracts';

import { apiConfig, ApiConfig } from '../config/api.config';
import { Public } from './access.decorators';
import { AuthService } from './auth.service';
import { Csrf, CSRF } from './csrf';
import { LoginDto } from './dto/login.dto';
import { Actor, CurrentActor } from './request-actor';
import { SESSION_COOKIE, SESSION_TTL_MS } from './session-cookie';

@ApiTags('Auth')
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    @Inject(CSRF) private readonly csrf: Csrf,
    @Inject(apiConfig.KEY) private readonly config: ApiConfig,
  ) {}

  /** Logs an operator in: an HttpOnly session cookie and a fresh XSRF-TOKEN cookie. Throttled against guessing. */
  @Public()
  @Throttle({ default: { limit: 10, ttl: 60_000 } })
  @Post('login')
  @HttpCode(HttpStatus.OK)
  async login(
    @Body() dto: LoginDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<OperatorView> {
    const { operator, token } = await this.auth.login(dto.email, dto.password);
    res.cookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.config.publicUrl.startsWith('https:'),
      path: '/',
      maxAge: SESSION_TTL_MS,
    });
    // The CSRF token is bound to the new session, so it is made against the new cookie.
    req.headers.cookie = `${SESSION_COOKIE}=${token}`;
    this.csrf.generateCsrfToken(req, res, { overwrite: true });
    return operator;
  }

  /** The logged-in operator; also refreshes the XSRF-TOKEN cookie (the dashboard calls it first). */
  @Get('me')
  me(
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<OperatorView> {
    this.csrf.generateCsrfToken(req, res, { overwrite: false, validateOnReuse: false });
    return this.auth.operatorView(actor.kind === 'operator' ? actor.id : '');
  }

  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  async logout(@CurrentActor() actor: Actor, @Res({ passthrough: true }) res: Response): Promise<void> {
    if (actor.kind === 'operator') {
      await this.auth.logout(actor.sessionHash);
    }
    res.clearCookie(SESSION_COOKIE, { path: '/' });
  }
}
