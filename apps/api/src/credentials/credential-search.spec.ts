import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';

import { Reader, Transactor } from '@app/sqlite';

import type { Actor } from '../auth/request-actor';
import { MIGRATIONS } from '../database/migrations';
import { CredentialLists } from '../mirror/credential-lists';
import { CredentialRow } from '../mirror/credential.entity';
import { InteractionRow } from '../mirror/interaction.entity';
import { MirrorRecords } from '../mirror/mirror-records';
import { TaskRunRow } from '../mirror/task-run.entity';
import type { SourcesService } from '../sources/sources.service';
import type { ReceivedEventsService } from '../webhooks/received-events.service';
import { CredentialQueriesService } from './credential-queries.service';

const ADMIN: Actor = { kind: 'operator', id: 'op-1', email: 'a@example.com', role: 'admin', sessionHash: 'h' };

/** Free text through the trigram index (and its LIKE fallback) on the migrated schema, with the triggers at work. */
describe('credential free-text search', () => {
  let dataSource: DataSource;
  let service: CredentialQueriesService;
  let n = 0;

  beforeEach(async () => {
    dataSource = await new DataSource({
      type: 'sqlite',
      database: ':memory:',
      entities: [CredentialRow, TaskRunRow, InteractionRow],
      migrations: MIGRATIONS,
      migrationsRun: true,
    }).initialize();
    service = new CredentialQueriesService(
      new CredentialLists(),
      new MirrorRecords(),
      new Reader(dataSource, new Transactor(dataSource)),
      {} as SourcesService,
      {} as ReceivedEventsService,
    );
  });

  afterEach(async () => {
    await dataSource.destroy();
  });

  async function store(externalId: string | null, usernameHint: string | null, status = 'verified'): Promise<string> {
    n += 1;
    const at = new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString();
    const row = dataSource.getRepository(CredentialRow).create({
      id: randomUUID(),
      deck_id: `cred_Deck${n}Id`,
      source_id: 'src_1',
      external_id: externalId,
      auth_method: 'username_password',
      username_hint: usernameHint,
      status: status as CredentialRow['status'],
      last_error: null,
      last_event_at: at,
      status_changed_at: at,
      created_at: at,
      updated_at: at,
    });
    await dataSource.getRepository(CredentialRow).save(row);
    return row.id;
  }

  const found = async (q: string): Promise<(string | null)[]> =>
    (await service.list(ADMIN, { q, limit: 100 })).data.map((c) => c.external_id).sort();

  it('should match substrings case-insensitively, short and long, in every searched column', async () => {
    await store('Alice-Smith', 'al***@Example.com');
    await store('bob-jones', 'bo***@example.org');
    await store(null, 'CA***@mail.test');

    expect(await found('J')).toEqual(['bob-jones']);
    expect(await found('ex')).toEqual(['Alice-Smith', 'bob-jones']);
    expect(await found('ice-sm')).toEqual(['Alice-Smith']);
    expect(await found('EXAMPLE.ORG')).toEqual(['bob-jones']);
    expect(await found('ca***@MAIL')).toEqual([null]);
    expect(await found('deck2')).toEqual(['bob-jones']);
    expect(await found('nobody')).toEqual([]);
    // LIKE's wildcards and the phrase's quotes are text, not syntax.
    expect(await found('a%e')).toEqual([]);
    expect(await found('"al')).toEqual([]);
  });

  it('should find a credential by the text it was updated to, not by its old text, and count it once', async () => {
    const id = await store('before-text', null, 'unverified');
    await dataSource.getRepository(CredentialRow).update({ id }, { external_id: 'After-Text', username_hint: 'zz***' });

    expect(await found('before')).toEqual([]);
    expect(await found('after-t')).toEqual(['After-Text']);
    expect(await found('ZZ')).toEqual(['After-Text']);

    await dataSource.getRepository(CredentialRow).update({ id }, { status: 'verified' });
    await store('other', null, 'invalid');
    const list = await service.list(ADMIN, {});
    expect(list.counts).toEqual({ unverified: 0, verified: 1, invalid: 1, deleted: 0 });
    expect((await service.list(ADMIN, { q: 'after' })).counts).toEqual({
      unverified: 0,
      verified: 1,
      invalid: 0,
      deleted: 0,
    });

    await dataSource.getRepository(CredentialRow).delete({ id });
    expect(await found('after')).toEqual([]);
    expect((await service.list(ADMIN, {})).counts).toEqual({ unverified: 0, verified: 0, invalid: 1, deleted: 0 });
  });
});
