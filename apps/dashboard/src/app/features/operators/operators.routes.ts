import { Routes } from '@angular/router';

export default [
  {
    path: '',
    title: 'Operators · Deckhand',
    loadComponent: () => import('./operators-page.component').then((m) => m.OperatorsPageComponent),
  },
] satisfies Routes;
