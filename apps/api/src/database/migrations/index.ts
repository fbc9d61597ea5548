import { Initial1795601000000 } from './1795601000000-initial';

/** Every migration, oldest first. A newly generated one is added here too. */
export const MIGRATIONS = [Initial1795601000000];
