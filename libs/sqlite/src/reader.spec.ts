import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Column, DataSource, Entity, MigrationInterface, PrimaryColumn, QueryRunner } from 'typeorm';

import { Reader } from './reader';
import { sqliteOptions } from './sqlite-options';
import { Transactor } from './transactor';

@Entity('notes')
class NoteRow {
  @PrimaryColumn({ type: 'varchar' })
  id!: string;

  @Column({ type: 'varchar' })
  text!: string;
}

class CreateNotes1700000000000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query('CREATE TABLE notes (id varchar PRIMARY KEY, text varchar NOT NULL)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE notes');
  }
}

/** A started writer, its queue and a reader on one database, closed after the test. */
async function open(database: string): Promise<{ transactor: Transactor; reader: Reader; close: () => Promise<void> }> {
  const { autoLoadEntities: _auto, ...options } = sqliteOptions(database, [CreateNotes1700000000000]);
  const writer = await new DataSource({ ...options, entities: [NoteRow] }).initialize();
  const transactor = new Transactor(writer);
  const reader = new Reader(writer, transactor);
  await reader.onModuleInit();
  return {
    transactor,
    reader,
    close: async () => {
      await reader.onApplicationShutdown();
      await writer.destroy();
    },
  };
}

describe('Reader', () => {
  let folder: string;

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'deckhand-reader-'));
  });

  afterEach(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  it('should answer a read while a write transaction is still open, with the last committed state', async () => {
    const db = await open(join(folder, 'notes.sqlite'));
    try {
      await db.transactor.run((manager) => manager.insert(NoteRow, { id: 'a', text: 'committed' }));
      let finishWrite!: () => void;
      const writeHeld = new Promise<void>((resolve) => (finishWrite = resolve));
      let written!: () => void;
      const inserted = new Promise<void>((resolve) => (written = resolve));
      const write = db.transactor.run(async (manager) => {
        await manager.update(NoteRow, { id: 'a' }, { text: 'uncommitted' });
        await manager.insert(NoteRow, { id: 'b', text: 'uncommitted' });
        written();
        await writeHeld;
      });
      await inserted;

      const seen = await db.reader.read((manager) => manager.find(NoteRow, { order: { id: 'ASC' } }));

      expect(seen).toEqual([{ id: 'a', text: 'committed' }]);
      finishWrite();
      await write;
      const after = await db.reader.read((manager) => manager.find(NoteRow, { order: { id: 'ASC' } }));
      expect(after.map((note) => note.text)).toEqual(['uncommitted', 'uncommitted']);
    } finally {
      await db.close();
    }
  });

  it('should read through the write queue on an in-memory database, which one connection alone can see', async () => {
    const db = await open(':memory:');
    try {
      await db.transactor.run((manager) => manager.insert(NoteRow, { id: 'a', text: 'kept' }));

      const seen = await db.reader.read((manager) => manager.findOneBy(NoteRow, { id: 'a' }));

      expect(seen?.text).toBe('kept');
    } finally {
      await db.close();
    }
  });
});
