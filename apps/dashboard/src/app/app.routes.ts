import { Routes } from '@angular/router';

import { authGuard, roleGuard } from './core/auth/auth.guard';
import { sandboxGuard } from './core/console/sandbox.guard';

export const routes: Routes = [
  { path: 'login', title: 'Sign in · Deckhand', loadChildren: () => import('./features/auth/auth.routes') },
  // End users: no operator session, no operator navigation.
  { path: 'connect', title: 'Connect your account', loadChildren: () => import('./features/connect/connect.routes') },
  {
    path: '',
    canActivate: [authGuard],
    loadComponent: () => import('./shell/shell.component').then((m) => m.ShellComponent),
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'credentials' },
      { path: 'credentials', loadChildren: () => import('./features/credentials/credentials.routes') },
      { path: 'interactions', loadChildren: () => import('./features/interactions/interactions.routes') },
      { path: 'events', loadChildren: () => import('./features/events/events.routes') },
      {
        path: 'sandbox',
        canMatch: [sandboxGuard],
        // The api's /api/sandbox/* needs the operator role: viewers are not offered controls it refuses.
        canActivate: [roleGuard('operator')],
        loadChildren: () => import('./features/sandbox/sandbox.routes'),
      },
      {
        path: 'operators',
        canActivate: [roleGuard('admin')],
        loadChildren: () => import('./features/operators/operators.routes'),
      },
      { path: '**', loadComponent: () => import('./shell/not-found.component').then((m) => m.NotFoundComponent) },
    ],
  },
];
