import { Injectable } from '@nestjs/common';

import { Backlog, ChangesService } from '../changes/changes.service';
import { MirrorRecords } from '../mirror/mirror-records';
import type { LiveAudience } from './live-audience';

/** The change log as one audience may read it: an end user replays only its own credentials' changes. */
@Injectable()
export class LiveService {
  constructor(
    private readonly changes: ChangesService,
    private readonly records: MirrorRecords,
  ) {}

  newestSeq(): Promise<number> {
    return this.changes.newestSeq();
  }

  backlog(audience: LiveAudience, afterSeq: number, limit: number): Promise<Backlog> {
    if (audience.kind === 'operators') {
      return this.changes.backlog(afterSeq, limit, null);
    }
    const { externalId } = audience;
    return this.changes.backlog(afterSeq, limit, (manager) => this.records.credentialIdsOf(manager, externalId));
  }
}
