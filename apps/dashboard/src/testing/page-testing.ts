import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { EnvironmentProviders, Provider, provideZonelessChangeDetection } from '@angular/core';
import { provideRouter, RouterFeatures, Routes } from '@angular/router';

import { sessionInterceptor } from '../app/core/http/session.interceptor';

/**
 * What a page meets in the app, for its spec: zoneless change detection, a
 * router, and the app's HttpClient (with its interceptor) whose calls
 * HttpTestingController answers. Test code only.
 */
export function providePageTesting(
  routes: Routes = [],
  ...features: RouterFeatures[]
): (Provider | EnvironmentProviders)[] {
  return [
    provideZonelessChangeDetection(),
    provideRouter(routes, ...features),
    provideHttpClient(withInterceptors([sessionInterceptor])),
    provideHttpClientTesting(),
  ];
}
