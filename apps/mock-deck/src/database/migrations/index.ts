import { Initial1764028800000 } from './1764028800000-initial';
import { ScenariosAndScheduledStatus1764115200000 } from './1764115200000-scenarios-and-scheduled-status';
import { DeliveryLog1795568197673 } from './1795568197673-delivery-log';
import { ClockState1795600000000 } from './1795600000000-clock-state';
import { EventOrder1795700000000 } from './1795700000000-event-order';

/** Every migration, oldest first. A newly generated one is added here too. */
export const MIGRATIONS = [
  Initial1764028800000,
  ScenariosAndScheduledStatus1764115200000,
  DeliveryLog1795568197673,
  ClockState1795600000000,
  EventOrder1795700000000,
];
