import { Module } from '@nestjs/common';

import { EventsController } from './events.controller';

/** `GET /v2/events`; the event store itself is in the core module, since every feature writes to it. */
@Module({ controllers: [EventsController] })
export class EventsModule {}
