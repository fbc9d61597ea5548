import { Routes } from '@angular/router';

export default [
  { path: '', loadComponent: () => import('./login-page.component').then((m) => m.LoginPageComponent) },
] satisfies Routes;
