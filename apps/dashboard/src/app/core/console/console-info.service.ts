import { HttpClient } from '@angular/common/http';
import { inject, Injectable, signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';

import type { ConsoleInfoView } from '@app/contracts';

/** What this api is connected to (the sandbox or real Deck), asked once per page load. */
@Injectable({ providedIn: 'root' })
export class ConsoleInfoService {
  readonly info = signal<ConsoleInfoView | null>(null);

  private readonly http = inject(HttpClient);
  private pending: Promise<ConsoleInfoView | null> | null = null;

  load(): Promise<ConsoleInfoView | null> {
    this.pending ??= firstValueFrom(this.http.get<ConsoleInfoView>('/api/console')).then(
      (info) => {
        this.info.set(info);
        return info;
      },
      () => {
        this.pending = null;
        return null;
      },
    );
    return this.pending;
  }
}
