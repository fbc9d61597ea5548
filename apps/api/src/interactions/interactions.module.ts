import { Module } from '@nestjs/common';

import { DeckModule } from '../deck/deck.module';
import { InteractionsController } from './interactions.controller';
import { InteractionsService } from './interactions.service';

/** The prompt queue and answers to it; the mirror's tables come from the global MirrorModule. */
@Module({
  imports: [DeckModule],
  controllers: [InteractionsController],
  providers: [InteractionsService],
})
export class InteractionsModule {}
