import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { DeckIntentRow } from '../deck/deck-intent.entity';
import { InteractionsController } from './interactions.controller';
import { InteractionsService } from './interactions.service';

/** The prompt queue and answers to it; the mirror's tables come from the global MirrorModule. */
@Module({
  imports: [TypeOrmModule.forFeature([DeckIntentRow])],
  controllers: [InteractionsController],
  providers: [InteractionsService],
})
export class InteractionsModule {}
