import sqlite3 from 'sqlite3';

/**
 * A sandbox database file opened beside (or after) the sandbox, to leave in it
 * what a crash or an older version would have left.
 */
export class SqliteFile {
  private constructor(private readonly db: sqlite3.Database) {}

  static open(file: string): Promise<SqliteFile> {
    return new Promise((resolve, reject) => {
      const db = new sqlite3.Database(file, (error) => {
        if (error) {
          reject(error);
          return;
        }
        // The sandbox may be writing: wait for its transaction rather than fail.
        db.configure('busyTimeout', 5000);
        resolve(new SqliteFile(db));
      });
    });
  }

  run(sql: string, params: unknown[] = []): Promise<void> {
    return new Promise((resolve, reject) => this.db.run(sql, params, (error) => (error ? reject(error) : resolve())));
  }

  get<T>(sql: string, params: unknown[] = []): Promise<T | undefined> {
    return new Promise((resolve, reject) =>
      this.db.get<T>(sql, params, (error, row) => (error ? reject(error) : resolve(row))),
    );
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => this.db.close((error) => (error ? reject(error) : resolve())));
  }
}
