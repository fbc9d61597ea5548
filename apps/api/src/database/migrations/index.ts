import { Initial1795601000000 } from './1795601000000-initial';
import { AnsweredByLength1795602000000 } from './1795602000000-answered-by-length';
import { ReceivedEventCredential1795603000000 } from './1795603000000-received-event-credential';

/** Every migration, oldest first. A newly generated one is added here too. */
export const MIGRATIONS = [Initial1795601000000, AnsweredByLength1795602000000, ReceivedEventCredential1795603000000];
