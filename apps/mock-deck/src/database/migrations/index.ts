import { Initial1764028800000 } from './1764028800000-initial';

/** Every migration, oldest first. A newly generated one is added here too. */
export const MIGRATIONS = [Initial1764028800000];
