import { Injectable } from '@nestjs/common';

/** Time, behind a seam so tests can move it (link expiry, session expiry). */
@Injectable()
export class Clock {
  nowMs(): number {
    return Date.now();
  }

  iso(): string {
    return new Date(this.nowMs()).toISOString();
  }
}
