import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, IsNull, Repository } from 'typeorm';

import type { DeckDeleted, DeckList, DeckSource } from '@app/deck';

import { SandboxClock } from '../scheduler/clock';
import { DeckError } from '../common/deck-error';
import { IdGenerator } from '../common/ids';
import { paginate } from '../common/pagination';
import { ListQueryDto } from '../common/query-transforms';
import { Transactor } from '@app/sqlite';
import { EventsService } from '../events/events.service';
import { CreateSourceDto } from './dto/create-source.dto';
import { UpdateSourceDto } from './dto/update-source.dto';
import { Source } from './source.entity';

export function toDeckSource(source: Source): DeckSource {
  return {
    id: source.id,
    object: 'source',
    name: source.name,
    type: source.type,
    website: { url: source.website_url },
    created_at: source.created_at,
    updated_at: source.updated_at,
  };
}

@Injectable()
export class SourcesService {
  constructor(
    @InjectRepository(Source) private readonly sources: Repository<Source>,
    private readonly transactor: Transactor,
    private readonly events: EventsService,
    private readonly clock: SandboxClock,
    private readonly ids: IdGenerator,
  ) {}

  create(orgId: string, dto: CreateSourceDto): Promise<DeckSource> {
    return this.transactor.run(async (manager) => {
      const now = this.clock.now().toISOString();
      const source = manager.create(Source, {
        id: this.ids.newId('source'),
        org_id: orgId,
        name: dto.name ?? null,
        type: dto.type,
        website_url: dto.website.url,
        deleted_at: null,
        created_at: now,
        updated_at: now,
      });
      await manager.save(source);
      const view = toDeckSource(source);
      await this.events.record(manager, orgId, 'source.created', source.id, { ...view });
      return view;
    });
  }

  async list(orgId: string, query: ListQueryDto): Promise<DeckList<DeckSource>> {
    const qb = this.sources.createQueryBuilder('s').where('s.org_id = :orgId AND s.deleted_at IS NULL', { orgId });
    const page = await paginate(qb, query, ['sources']);
    return { ...page, data: page.data.map(toDeckSource) };
  }

  async get(orgId: string, id: string): Promise<DeckSource> {
    return toDeckSource(await this.find(this.sources.manager, orgId, id));
  }

  update(orgId: string, id: string, dto: UpdateSourceDto): Promise<DeckSource> {
    return this.transactor.run(async (manager) => {
      const source = await this.find(manager, orgId, id);
      if (dto.name !== undefined) {
        source.name = dto.name;
      }
      if (dto.website !== undefined) {
        source.website_url = dto.website.url;
      }
      source.updated_at = this.clock.now().toISOString();
      await manager.save(source);
      const view = toDeckSource(source);
      await this.events.record(manager, orgId, 'source.updated', source.id, { ...view });
      return view;
    });
  }

  remove(orgId: string, id: string): Promise<DeckDeleted> {
    return this.transactor.run(async (manager) => {
      const source = await this.find(manager, orgId, id);
      source.deleted_at = source.updated_at = this.clock.now().toISOString();
      await manager.save(source);
      await this.events.record(manager, orgId, 'source.deleted', source.id, {
        id: source.id,
        object: 'source',
        deleted: true,
      });
      return { id: source.id, object: 'source', deleted: true };
    });
  }

  /** A live source, or 404 naming `field` when the id came from a request body. */
  async find(manager: EntityManager, orgId: string, id: string, field?: string): Promise<Source> {
    const source = await manager.findOneBy(Source, { org_id: orgId, id, deleted_at: IsNull() });
    if (!source) {
      throw DeckError.notFound('source_not_found', 'source', id, field);
    }
    return source;
  }
}
