import { Routes } from '@angular/router';

/** End users: no operator session, no shell, no guard; the link token in the fragment authenticates. */
export default [
  { path: '', loadComponent: () => import('./connect-page.component').then((m) => m.ConnectPageComponent) },
] satisfies Routes;
