import type { DeckSession } from '@app/deck';

import type { TaskRun } from '../task-runs/task-run.entity';
import type { Session } from './session.entity';

export function toDeckSession(session: Session, runs: TaskRun[], nowMs: number): DeckSession {
  const ended = session.status === 'completed' || session.status === 'failed';
  return {
    id: session.id,
    object: 'session',
    status: session.status,
    runtime_ms: ended ? session.runtime_ms : Math.max(0, nowMs - Date.parse(session.created_at)),
    task_runs: runs.map((r) => ({
      id: r.id,
      task_id: r.task_id,
      agent_id: r.agent_id,
      credential_id: r.credential_id,
    })),
    created_at: session.created_at,
    updated_at: session.updated_at,
  };
}
