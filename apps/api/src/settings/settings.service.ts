import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

import { Reader, Transactor } from '@app/sqlite';

import { SettingRow } from './setting.entity';

/** The keys in use; a setting never holds a secret. */
export const SETTING_KEYS = {
  /** ISO `created_at` of the newest Deck event catch-up has read. */
  catchUpWatermark: 'catch_up.watermark',
  /** ISO time catch-up last finished reading Deck's event list. */
  catchUpLastRunAt: 'catch_up.last_run_at',
  /** The event destination the api registered for itself at the sandbox. */
  webhookDestinationId: 'webhook.destination_id',
} as const;
export type SettingKey = (typeof SETTING_KEYS)[keyof typeof SETTING_KEYS];

/**
 * Small durable facts as key/value strings. Pass `manager` from inside a
 * transaction; without one, reads see the last committed state (on the
 * Reader, never waiting for writes) and writes run in their own.
 */
@Injectable()
export class SettingsService {
  constructor(
    private readonly transactor: Transactor,
    private readonly reader: Reader,
  ) {}

  async get(key: SettingKey, manager?: EntityManager): Promise<string | null> {
    const row = manager
      ? await manager.findOneBy(SettingRow, { key })
      : await this.reader.read((m) => m.findOneBy(SettingRow, { key }));
    return row?.value ?? null;
  }

  async set(key: SettingKey, value: string, manager?: EntityManager): Promise<void> {
    if (manager) {
      await manager.save(manager.create(SettingRow, { key, value }));
      return;
    }
    await this.transactor.run((m) => this.set(key, value, m));
  }
}
