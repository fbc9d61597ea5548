import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { AbstractLoader, ExpressLoader, ServeStaticModule } from '@nestjs/serve-static';
import type { Response } from 'express';

import { apiConfig } from '../config/api.config';
import { DashboardBuiltMiddleware } from './dashboard-built.middleware';
import { DASHBOARD_ROUTE, dashboardCacheControl } from './dashboard-routes';

/**
 * The built Angular dashboard, served by the api at one URL: its files from
 * DASHBOARD_DIR, and index.html for every deep link its router owns. Static
 * serving is mounted after the api's own routes, so it never shadows them.
 */
@Module({
  imports: [
    ServeStaticModule.forRootAsync({
      inject: [apiConfig.KEY],
      useFactory: (config: ConfigType<typeof apiConfig>) => [
        {
          rootPath: config.dashboardDir,
          // The route already leaves the api's paths out. No `exclude`: for excluded paths the module's error
          // handler turns every error into a 404, a refused JSON body on /api included.
          renderPath: DASHBOARD_ROUTE,
          serveStaticOptions: {
            index: 'index.html',
            // A folder without its slash is a deep link, not a redirect to a listing.
            redirect: false,
            setHeaders: (res: Response, filePath: string) => {
              res.setHeader('Cache-Control', dashboardCacheControl(filePath));
            },
          },
        },
      ],
      // The module picks its loader from the HTTP adapter, which a testing module does not have yet when it
      // compiles (it would serve nothing there); the api always runs on Express.
      extraProviders: [{ provide: AbstractLoader, useClass: ExpressLoader }],
    }),
  ],
  providers: [DashboardBuiltMiddleware],
})
export class DashboardModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(DashboardBuiltMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
