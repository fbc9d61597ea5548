import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { access } from 'node:fs/promises';
import { join } from 'node:path';

import { ApiError } from '../common/api-error';
import { apiConfig, ApiConfig } from '../config/api.config';
import { DASHBOARD_ROUTE } from './dashboard-routes';

/**
 * Before the dashboard is built (a fresh clone running only `nest build api`),
 * its pages answer one clear error in the api's shape instead of a file-system
 * message. Checked per request, so a build made while the api runs is served at once.
 */
@Injectable()
export class DashboardBuiltMiddleware implements NestMiddleware {
  private readonly indexFile: string;

  constructor(@Inject(apiConfig.KEY) config: ApiConfig) {
    this.indexFile = join(config.dashboardDir, 'index.html');
  }

  async use(req: Request, _res: Response, next: NextFunction): Promise<void> {
    if ((req.method === 'GET' || req.method === 'HEAD') && DASHBOARD_ROUTE.test(req.path)) {
      try {
        await access(this.indexFile);
      } catch {
        throw new ApiError('unavailable', 'The dashboard is not built. Run `npm run build`, then reload this page.');
      }
    }
    next();
  }
}
