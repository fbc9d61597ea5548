import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { DeliveryAttempt } from '../webhook-sender/delivery-attempt.entity';
import { WebhookDispatcher } from '../webhook-sender/webhook-dispatcher.service';
import { EventDelivery } from './event-delivery.entity';
import { EventDestination } from './event-destination.entity';
import { EventDestinationsController } from './event-destinations.controller';
import { EventDestinationsService } from './event-destinations.service';

@Module({
  imports: [TypeOrmModule.forFeature([EventDestination, EventDelivery, DeliveryAttempt])],
  controllers: [EventDestinationsController],
  providers: [EventDestinationsService, WebhookDispatcher],
  exports: [EventDestinationsService, WebhookDispatcher],
})
export class EventDestinationsModule {}
