import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { EventDelivery } from '../event-destinations/event-delivery.entity';
import { EventDestination } from '../event-destinations/event-destination.entity';
import { EventDestinationsModule } from '../event-destinations/event-destinations.module';
import { DeliveryAttempt } from '../webhook-sender/delivery-attempt.entity';
import { SandboxDeliveriesController } from './sandbox-deliveries.controller';
import { SandboxDeliveriesService } from './sandbox-deliveries.service';
import { SandboxEventDestinationsController } from './sandbox-event-destinations.controller';

/**
 * The webhook side of the control plane at `/sandbox`: secrets, delivery
 * faults, the attempts log and redelivery. Same API key, same organisation as
 * /v2. The service is exported so scenarios can set faults.
 */
@Module({
  imports: [TypeOrmModule.forFeature([DeliveryAttempt, EventDelivery, EventDestination]), EventDestinationsModule],
  controllers: [SandboxEventDestinationsController, SandboxDeliveriesController],
  providers: [SandboxDeliveriesService],
  exports: [SandboxDeliveriesService],
})
export class SandboxDeliveriesModule {}
