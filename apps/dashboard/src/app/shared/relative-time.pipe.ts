import { inject, Pipe, PipeTransform } from '@angular/core';

import { NowService } from './now.service';
import { relativeTime } from './relative-time';

/** `{{ at | relativeTime }}`: reads the shared clock, so it refreshes with it. */
@Pipe({ name: 'relativeTime', pure: false })
export class RelativeTimePipe implements PipeTransform {
  private readonly clock = inject(NowService);

  transform(iso: string | null | undefined): string {
    return iso ? relativeTime(iso, this.clock.now()) : '';
  }
}
