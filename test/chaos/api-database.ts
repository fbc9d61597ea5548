import sqlite3 from 'sqlite3';

/** What the verdicts read straight from the api's database file (opened read-only, beside the running api). */
export interface ApiRecords {
  inbox: {
    id: string;
    type: string;
    via: string;
    duplicates: number;
    outcome: string;
    note: string | null;
    object_id: string | null;
    created_at: string;
  }[];
  runs: { id: string; deck_id: string; credential_id: string | null; status: string; result: string | null }[];
  credentials: { id: string; deck_id: string; status: string }[];
  interactions: {
    id: string;
    task_run_id: string;
    state: string;
    opened_by_event: string;
    opened_at: string;
    closed_at: string | null;
    answered_by: string | null;
  }[];
  changes: { seq: number; kind: string; payload: string }[];
}

function all<T>(db: sqlite3.Database, sql: string): Promise<T[]> {
  return new Promise((resolve, reject) => db.all<T>(sql, (error, rows) => (error ? reject(error) : resolve(rows))));
}

export async function readApiRecords(file: string): Promise<ApiRecords> {
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const opened = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (error) =>
      error ? reject(error) : resolve(opened),
    );
  });
  try {
    // The api may be writing: a read waits for its transaction rather than failing.
    db.configure('busyTimeout', 5000);
    return {
      inbox: await all(
        db,
        'SELECT id, type, via, duplicates, outcome, note, object_id, created_at FROM received_events',
      ),
      runs: await all(db, 'SELECT id, deck_id, credential_id, status, result FROM task_runs'),
      credentials: await all(db, 'SELECT id, deck_id, status FROM credentials'),
      interactions: await all(
        db,
        'SELECT id, task_run_id, state, opened_by_event, opened_at, closed_at, answered_by FROM interactions ORDER BY opened_at',
      ),
      changes: await all(db, 'SELECT seq, kind, payload FROM changes ORDER BY seq'),
    };
  } finally {
    await new Promise<void>((resolve) => db.close(() => resolve()));
  }
}
