import { Routes } from '@angular/router';

export default [
  {
    path: '',
    title: 'Sandbox · Deckhand',
    loadComponent: () => import('./sandbox-page.component').then((m) => m.SandboxPageComponent),
  },
] satisfies Routes;
