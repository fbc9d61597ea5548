import { Routes } from '@angular/router';

export default [
  {
    path: '',
    title: 'Prompts · Deckhand',
    loadComponent: () => import('./prompt-queue-page.component').then((m) => m.PromptQueuePageComponent),
  },
] satisfies Routes;
