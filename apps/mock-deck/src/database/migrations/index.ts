import { Initial1764028800000 } from './1764028800000-initial';
import { ScenariosAndScheduledStatus1764115200000 } from './1764115200000-scenarios-and-scheduled-status';

/** Every migration, oldest first. A newly generated one is added here too. */
export const MIGRATIONS = [Initial1764028800000, ScenariosAndScheduledStatus1764115200000];
