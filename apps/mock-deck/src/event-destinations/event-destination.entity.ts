import { Column, Entity } from 'typeorm';

import type { DeliveryFaults, EventDestinationStatus, EventDestinationType } from '@app/deck';

import { DeckRow } from '../database/deck-row';

@Entity('event_destinations')
export class EventDestination extends DeckRow {
  @Column({ type: 'varchar', length: 255 })
  name!: string;

  @Column({ type: 'varchar', length: 30 })
  status!: EventDestinationStatus;

  @Column({ type: 'varchar', length: 30 })
  type!: EventDestinationType;

  @Column({ type: 'simple-json' })
  events!: string[];

  /** The non-secret, type-keyed config as given (e.g. `{url, custom_headers}` for a webhook). */
  @Column({ type: 'simple-json' })
  config!: Record<string, unknown>;

  /** Signing secret (`whsec_…`). Sent only to the control plane, never in /v2 responses. */
  @Column({ type: 'varchar', length: 120, nullable: true })
  secret!: string | null;

  /** The secret before the last rotation; it keeps signing until `previous_secret_expires_at`. */
  @Column({ type: 'varchar', length: 120, nullable: true })
  previous_secret!: string | null;

  @Column({ type: 'varchar', length: 30, nullable: true })
  previous_secret_expires_at!: string | null;

  @Column({ type: 'varchar', length: 30, nullable: true })
  deleted_at!: string | null;

  /** Delivery faults the sandbox injects (set under `/sandbox`, never shown in /v2); null when none. */
  @Column({ type: 'simple-json', nullable: true })
  faults!: DeliveryFaults | null;
}
