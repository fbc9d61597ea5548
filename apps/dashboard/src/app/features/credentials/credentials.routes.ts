import { Routes } from '@angular/router';

export default [
  {
    path: '',
    title: 'Credentials · Deckhand',
    loadComponent: () => import('./list/credentials-page.component').then((m) => m.CredentialsPageComponent),
  },
  {
    path: ':id',
    title: 'Credential · Deckhand',
    loadComponent: () =>
      import('./detail/credential-detail-page.component').then((m) => m.CredentialDetailPageComponent),
  },
] satisfies Routes;
