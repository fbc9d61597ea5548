import { Routes } from '@angular/router';

export default [
  {
    path: '',
    title: 'Events · Deckhand',
    loadComponent: () => import('./events-page.component').then((m) => m.EventsPageComponent),
  },
] satisfies Routes;
