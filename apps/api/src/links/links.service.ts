import { Inject, Injectable } from '@nestjs/common';

import type { LinkContextView, LinkView } from '@app/contracts';
import { Reader, Transactor } from '@app/sqlite';

import { AuditService } from '../audit/audit.service';
import { LinkTokens } from '../auth/link-tokens';
import type { Actor } from '../auth/request-actor';
import { actorLabel } from '../auth/request-actor';
import { newToken, tokenHash } from '../auth/session-cookie';
import { ApiError } from '../common/api-error';
import { Clock } from '../common/clock';
import { apiConfig, ApiConfig } from '../config/api.config';
import { SourcesService } from '../sources/sources.service';
import { CreateLinkDto } from './dto/create-link.dto';

/** Connect links: short-lived bearer tokens scoping an end user to one external_id (and maybe one source). */
@Injectable()
export class LinksService {
  constructor(
    private readonly links: LinkTokens,
    private readonly sources: SourcesService,
    private readonly transactor: Transactor,
    private readonly reader: Reader,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(apiConfig.KEY) private readonly config: ApiConfig,
  ) {}

  /**
   * Issues a link. The token is shown once, here; only its hash is kept. It
   * travels in the URL's fragment, which browsers never send to a server, so it
   * stays out of access logs and Referer headers.
   */
  async create(actor: Actor, dto: CreateLinkDto): Promise<LinkView> {
    const sourceId = dto.source_id ?? null;
    if (sourceId !== null && !(await this.sources.exists(sourceId))) {
      throw new ApiError('validation_failed', 'The request is not valid.', [
        { field: 'source_id', message: 'source_id is not a Deck source' },
      ]);
    }
    const token = newToken();
    const hash = tokenHash(token);
    const expiresAt = new Date(this.clock.nowMs() + this.config.linkTtlMs).toISOString();
    await this.transactor.run(async (manager) => {
      await this.links.store(manager, {
        token_hash: hash,
        external_id: dto.external_id,
        source_id: sourceId,
        created_by: actor.kind === 'operator' ? actor.id : null,
        expires_at: expiresAt,
        created_at: this.clock.iso(),
      });
      await this.audit.record(manager, actorLabel(actor), 'link.created', hash, {
        external_id: dto.external_id,
        source_id: sourceId,
        expires_at: expiresAt,
      });
    });
    return {
      token,
      url: `${this.config.publicUrl}/connect#token=${encodeURIComponent(token)}`,
      external_id: dto.external_id,
      source_id: sourceId,
      expires_at: expiresAt,
    };
  }

  /** What the caller's link is for; only a connect page has one. */
  async current(actor: Actor): Promise<LinkContextView> {
    const link =
      actor.kind === 'end_user'
        ? await this.reader.read((manager) => this.links.byHash(manager, actor.linkHash))
        : null;
    if (!link) {
      throw new ApiError('not_found', 'There is no connect link on this request: it is for the connect page.');
    }
    return { external_id: link.external_id, source_id: link.source_id, expires_at: link.expires_at };
  }
}
