import { Initial1795601000000 } from './1795601000000-initial';
import { AnsweredByLength1795602000000 } from './1795602000000-answered-by-length';
import { ReceivedEventCredential1795603000000 } from './1795603000000-received-event-credential';
import { TaskRunDeckCredential1795604000000 } from './1795604000000-task-run-deck-credential';
import { CredentialSearch1795605000000 } from './1795605000000-credential-search';

/** Every migration, oldest first. A newly generated one is added here too. */
export const MIGRATIONS = [
  Initial1795601000000,
  AnsweredByLength1795602000000,
  ReceivedEventCredential1795603000000,
  TaskRunDeckCredential1795604000000,
  CredentialSearch1795605000000,
];
