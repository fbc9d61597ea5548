import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { SandboxClock } from './scheduler/clock';
import { IdGenerator } from './common/ids';
import { JsonSchemaValidator } from './common/json-schema';
import { Transactor } from '@app/sqlite';
import { EventDelivery } from './event-destinations/event-delivery.entity';
import { EventDestination } from './event-destinations/event-destination.entity';
import { DeckEventRow } from './events/event.entity';
import { EventsService } from './events/events.service';
import { ClockStateRow } from './scheduler/clock-state.entity';
import { ClockStore } from './scheduler/clock-store.service';
import { Scheduler } from './scheduler/scheduler.service';

/** The seams every feature uses: clock, ids, write queue, scheduler and the event store. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([DeckEventRow, EventDestination, EventDelivery, ClockStateRow])],
  providers: [SandboxClock, ClockStore, IdGenerator, Transactor, Scheduler, JsonSchemaValidator, EventsService],
  exports: [SandboxClock, IdGenerator, Transactor, Scheduler, JsonSchemaValidator, EventsService],
})
export class CoreModule {}
