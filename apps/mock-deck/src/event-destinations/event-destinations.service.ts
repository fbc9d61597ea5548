import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, IsNull, Repository } from 'typeorm';

import type { DeckDeleted, DeckEventDelivery, DeckEventDestination, DeckList, EventDestinationType } from '@app/deck';

import { SandboxClock } from '../scheduler/clock';
import { DeckError } from '../common/deck-error';
import { IdGenerator } from '../common/ids';
import { paginate } from '../common/pagination';
import { Transactor } from '@app/sqlite';
import { EventsService } from '../events/events.service';
import {
  CreateEventDestinationDto,
  UpdateEventDestinationDto,
  WebhookConfigDto,
  WebhookConfigUpdateDto,
} from './dto/create-event-destination.dto';
import { assertDeliverableUrl, assertSendableHeaders } from './webhook-target.rules';
import { ListEventDeliveriesQueryDto } from './dto/list-event-deliveries-query.dto';
import { ListEventDestinationsQueryDto } from './dto/list-event-destinations-query.dto';
import { EventDelivery } from './event-delivery.entity';
import { EventDestination } from './event-destination.entity';

/** After a rotation the old secret keeps signing for a day. */
export const SECRET_OVERLAP_MS = 24 * 60 * 60 * 1000;

/**
 * The fields a client actually sent. DTO classes declare every field, so an
 * instance has the absent ones as keys holding `undefined`.
 */
function given<T extends object>(dto: T): Partial<T> {
  return Object.fromEntries(Object.entries(dto).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/**
 * Credential fields inside a non-webhook config (a Hookdeck `token`, AWS keys):
 * write-only, so the sandbox neither keeps nor echoes them.
 */
const WRITE_ONLY_CONFIG_KEY = /secret|token|password|credential|access_key/i;

function withoutWriteOnly(config: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(config).filter(([key]) => !WRITE_ONLY_CONFIG_KEY.test(key)));
}

export function toDeckEventDestination(destination: EventDestination): DeckEventDestination {
  return {
    id: destination.id,
    object: 'event_destination',
    name: destination.name,
    status: destination.status,
    type: destination.type,
    events: destination.events,
    [destination.type]: destination.config,
    created_at: destination.created_at,
    updated_at: destination.updated_at,
  };
}

export function toDeckEventDelivery(delivery: EventDelivery): DeckEventDelivery {
  return {
    id: delivery.id,
    object: 'event_delivery',
    status: delivery.status,
    event_type: delivery.event_type,
    event_id: delivery.event_id,
    event_destination_id: delivery.event_destination_id,
    attempts: delivery.attempts,
    created_at: delivery.created_at,
    delivered_at: delivery.delivered_at,
  };
}

@Injectable()
export class EventDestinationsService {
  constructor(
    @InjectRepository(EventDestination) private readonly destinations: Repository<EventDestination>,
    @InjectRepository(EventDelivery) private readonly deliveries: Repository<EventDelivery>,
    private readonly transactor: Transactor,
    private readonly events: EventsService,
    private readonly clock: SandboxClock,
    private readonly ids: IdGenerator,
  ) {}

  /** Creates an active destination. The response carries the signing secret this once. */
  create(orgId: string, dto: CreateEventDestinationDto): Promise<DeckEventDestination> {
    const type = dto.type ?? 'webhook';
    const webhook = dto.webhook ?? dto.config;
    const config = this.configFor(type, dto, webhook);
    this.checkEvents(dto.events);
    return this.transactor.run(async (manager) => {
      const now = this.clock.now().toISOString();
      const destination = manager.create(EventDestination, {
        id: this.ids.newId('event_destination'),
        org_id: orgId,
        name: dto.name,
        // Deck does not say how verification works; the sandbox activates at once.
        status: 'active',
        type,
        events: dto.events,
        config,
        secret: type === 'webhook' ? (webhook?.secret ?? dto.credentials?.secret ?? this.ids.newWebhookSecret()) : null,
        previous_secret: null,
        previous_secret_expires_at: null,
        deleted_at: null,
        created_at: now,
        updated_at: now,
      });
      await manager.save(destination);
      const view = toDeckEventDestination(destination);
      return type === 'webhook'
        ? { ...view, webhook: { ...(config as { url: string }), secret: destination.secret } }
        : view;
    });
  }

  async list(orgId: string, query: ListEventDestinationsQueryDto): Promise<DeckList<DeckEventDestination>> {
    const qb = this.destinations.createQueryBuilder('d').where('d.org_id = :orgId AND d.deleted_at IS NULL', { orgId });
    if (query.status?.length) {
      qb.andWhere('d.status IN (:...statuses)', { statuses: query.status });
    }
    const page = await paginate(qb, query, ['event-destinations', query.status]);
    return { ...page, data: page.data.map(toDeckEventDestination) };
  }

  async get(orgId: string, id: string): Promise<DeckEventDestination> {
    return toDeckEventDestination(await this.find(this.destinations.manager, orgId, id));
  }

  update(orgId: string, id: string, dto: UpdateEventDestinationDto): Promise<DeckEventDestination> {
    if (dto.events) {
      this.checkEvents(dto.events);
    }
    return this.transactor.run(async (manager) => {
      const destination = await this.find(manager, orgId, id);
      const now = this.clock.now();
      // The older `config` / `credentials` blocks are webhook settings.
      const allowed = destination.type === 'webhook' ? ['webhook', 'config', 'credentials'] : [destination.type];
      const field = Object.keys(given(dto)).find((k) => !['name', 'status', 'events', ...allowed].includes(k));
      if (field !== undefined) {
        throw new DeckError(
          'input_invalid',
          `This destination is a \`${destination.type}\`; its config goes under \`${destination.type}\`.`,
          field,
        );
      }
      if (dto.name !== undefined) {
        destination.name = dto.name;
      }
      if (dto.events !== undefined) {
        destination.events = dto.events;
      }
      const webhook: WebhookConfigUpdateDto | undefined = dto.webhook ?? dto.config;
      if (destination.type === 'webhook' && (webhook || dto.credentials)) {
        const { secret, ...rest } = given(webhook ?? {});
        if (rest.url !== undefined) {
          assertDeliverableUrl(rest.url, 'webhook.url');
        }
        assertSendableHeaders(rest.custom_headers, 'webhook.custom_headers');
        destination.config = { ...destination.config, ...rest };
        const newSecret = secret ?? dto.credentials?.secret;
        if (newSecret && newSecret !== destination.secret) {
          destination.previous_secret = destination.secret;
          destination.previous_secret_expires_at = new Date(now.getTime() + SECRET_OVERLAP_MS).toISOString();
          destination.secret = newSecret;
        }
      } else if (destination.type !== 'webhook') {
        const typed = (dto as unknown as Record<string, unknown>)[destination.type] as
          Record<string, unknown> | undefined;
        destination.config = typed ? { ...destination.config, ...withoutWriteOnly(typed) } : destination.config;
      }
      const statusChanged = dto.status !== undefined && dto.status !== destination.status;
      if (dto.status !== undefined) {
        destination.status = dto.status;
      }
      destination.updated_at = now.toISOString();
      await manager.save(destination);
      if (statusChanged) {
        await this.recordStatus(manager, destination);
      }
      return toDeckEventDestination(destination);
    });
  }

  remove(orgId: string, id: string): Promise<DeckDeleted> {
    return this.transactor.run(async (manager) => {
      const destination = await this.find(manager, orgId, id);
      destination.deleted_at = destination.updated_at = this.clock.now().toISOString();
      await manager.save(destination);
      return { id: destination.id, object: 'event_destination', deleted: true };
    });
  }

  async listDeliveries(
    orgId: string,
    id: string,
    query: ListEventDeliveriesQueryDto,
  ): Promise<DeckList<DeckEventDelivery>> {
    await this.find(this.destinations.manager, orgId, id);
    const qb = this.deliveries
      .createQueryBuilder('l')
      .where('l.org_id = :orgId AND l.event_destination_id = :id', { orgId, id });
    if (query.status?.length) {
      qb.andWhere('l.status IN (:...statuses)', { statuses: query.status });
    }
    if (query.type?.length) {
      qb.andWhere('l.event_type IN (:...types)', { types: query.type });
    }
    const page = await paginate(qb, query, ['event-deliveries', id, query.status, query.type]);
    return { ...page, data: page.data.map(toDeckEventDelivery) };
  }

  async find(manager: EntityManager, orgId: string, id: string): Promise<EventDestination> {
    const destination = await manager.findOneBy(EventDestination, { org_id: orgId, id, deleted_at: IsNull() });
    if (!destination) {
      throw DeckError.notFound('event_destination_not_found', 'event destination', id);
    }
    return destination;
  }

  /** Writes `event_destination.activated` or `.deactivated` for a destination's new status. */
  async recordStatus(manager: EntityManager, destination: EventDestination): Promise<void> {
    const type = destination.status === 'active' ? 'event_destination.activated' : 'event_destination.deactivated';
    await this.events.record(manager, destination.org_id, type, destination.id, {
      ...toDeckEventDestination(destination),
    });
  }

  /** Exactly one config object, named after the type; only its non-secret part is kept. */
  private configFor(
    type: EventDestinationType,
    dto: CreateEventDestinationDto,
    webhook: WebhookConfigDto | undefined,
  ): Record<string, unknown> {
    const others = Object.keys(given(dto)).filter(
      (k) => k !== type && !['name', 'type', 'events', 'config', 'credentials'].includes(k),
    );
    if (others.length > 0) {
      throw new DeckError(
        'input_invalid',
        `A \`${type}\` destination takes its config under \`${type}\` only.`,
        others[0],
      );
    }
    if (type === 'webhook') {
      if (!webhook) {
        throw new DeckError('input_missing', '`webhook` is required for a webhook destination.', 'webhook.url');
      }
      assertDeliverableUrl(webhook.url, 'webhook.url');
      assertSendableHeaders(webhook.custom_headers, 'webhook.custom_headers');
      return { url: webhook.url, custom_headers: webhook.custom_headers ?? null };
    }
    const typed = (dto as unknown as Record<string, unknown>)[type] as Record<string, unknown> | undefined;
    if (!typed) {
      throw new DeckError('input_missing', `\`${type}\` is required for a ${type} destination.`, type);
    }
    return withoutWriteOnly(typed);
  }

  private checkEvents(events: string[] | undefined): void {
    if (events && events.includes('*') && events.length > 1) {
      throw new DeckError('input_invalid', '`*` cannot be combined with specific event types.', 'events');
    }
  }
}
