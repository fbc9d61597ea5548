import { Module } from '@nestjs/common';

import { ChangesModule } from '../changes/changes.module';
import { DeckModule } from '../deck/deck.module';
import { MirrorModule } from '../mirror/mirror.module';
import { InteractionsController } from './interactions.controller';
import { InteractionsService } from './interactions.service';

/** The prompt queue and answers to it: prompts are the mirror's rows, an answer's Deck call is a DeckIntent. */
@Module({
  imports: [MirrorModule, ChangesModule, DeckModule],
  controllers: [InteractionsController],
  providers: [InteractionsService],
})
export class InteractionsModule {}
