import type { LiveChange, LiveHandshake } from '@app/contracts';

/**
 * Where this client is in the api's numbered change log. Reconnecting with
 * `last_seq` makes the api replay what was missed; a change at or below that
 * number was already seen (replay and live can overlap) and is dropped.
 * Without a position the api sends only new changes (and, first, where its
 * log stands), so whatever the page loaded before must be fetched again:
 * `connected()` says when.
 */
export class LiveSequence {
  private last: number | null = null;

  get lastSeq(): number | null {
    return this.last;
  }

  /** What to send in the handshake's `auth`. */
  handshake(): LiveHandshake {
    return this.last === null ? {} : { last_seq: this.last };
  }

  /** A connection was made: `replay` when the api will send what was missed, `refetch` when the page must reload its data. */
  connected(): 'replay' | 'refetch' {
    return this.last === null ? 'refetch' : 'replay';
  }

  /** Whether a change is new to this client; it then becomes the position. */
  accept(change: Pick<LiveChange, 'seq'>): boolean {
    if (this.last !== null && change.seq <= this.last) {
      return false;
    }
    this.last = change.seq;
    return true;
  }

  /** Where the log stood when this client joined without a position: resume from there after a drop. */
  position(seq: number): void {
    if (this.last === null || seq > this.last) {
      this.last = seq;
    }
  }

  /** Too much was missed to replay: the page reloads over REST and continues from `seq`. */
  resync(seq: number): void {
    this.last = seq;
  }
}
