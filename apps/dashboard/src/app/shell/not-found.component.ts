import { ChangeDetectionStrategy, Component } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';

@Component({
  selector: 'dh-not-found',
  imports: [MatButtonModule, RouterLink],
  template: `
    <section class="page empty-state">
      <h1>Page not found</h1>
      <p>This address does not match any page of the console.</p>
      <a mat-flat-button routerLink="/credentials">Go to credentials</a>
    </section>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NotFoundComponent {}
