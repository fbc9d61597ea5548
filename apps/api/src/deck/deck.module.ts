import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { DeckIntentRow } from './deck-intent.entity';
import { DeckIntents } from './deck-intents';

/** Owns the record of outbound writes to Deck; the Deck client itself is one of CoreModule's seams. */
@Module({
  imports: [TypeOrmModule.forFeature([DeckIntentRow])],
  providers: [DeckIntents],
  exports: [DeckIntents],
})
export class DeckModule {}
