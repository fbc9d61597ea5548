import { Inject, Injectable } from '@nestjs/common';

import type { ConsoleInfoView } from '@app/contracts';

import { apiConfig, ApiConfig } from '../config/api.config';
import { SETTING_KEYS, SettingsService } from '../settings/settings.service';

/** What the dashboard asks once, before it draws its navigation. */
@Injectable()
export class ConsoleService {
  constructor(
    @Inject(apiConfig.KEY) private readonly config: ApiConfig,
    private readonly settings: SettingsService,
  ) {}

  async info(): Promise<ConsoleInfoView> {
    const sandbox = this.config.deck.isSandbox;
    // Against real Deck a remembered id would name a destination at a sandbox the api no longer uses.
    const destinationId = sandbox ? await this.settings.get(SETTING_KEYS.webhookDestinationId) : null;
    return { sandbox, webhook_destination_id: destinationId };
  }
}
