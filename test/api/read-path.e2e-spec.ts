import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { CredentialList, OperatorView } from '@app/contracts';
import type { DeckCredential } from '@app/deck';
import { Transactor } from '@app/sqlite';

import { MirrorService } from '../../apps/api/src/mirror/mirror.service';
import { ADMIN, ApiApp, loginAs, OperatorClient, startApi } from '../support/api-app';

function deckCredential(id: string, externalId: string): DeckCredential {
  const at = new Date().toISOString();
  return {
    id,
    object: 'credential',
    created_at: at,
    updated_at: at,
    status: 'verified',
    external_id: externalId,
    source_id: 'src_read_path',
    auth_method: 'username_password',
    auth_credentials: { username: `${externalId}@example.com` },
  };
}

/** Reads answer from the last commit on their own connection, even while a write transaction is open. */
describe('The read path, on a database file', () => {
  let dir: string;
  let api: ApiApp;
  let admin: OperatorClient;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'deckhand-read-path-'));
    api = await startApi({ DATABASE_PATH: join(dir, 'api.sqlite'), CATCH_UP_INTERVAL_MS: '3600000' });
    admin = await loginAs(api);
    await api.app
      .get(Transactor)
      .run((manager) =>
        api.app.get(MirrorService).recordCredential(manager, deckCredential('cred_Committed', 'ext-1')),
      );
  });

  afterEach(async () => {
    await api?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should list credentials and check the session while a write transaction is held open', async () => {
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let written = (): void => undefined;
    const insideTransaction = new Promise<void>((resolve) => (written = resolve));
    let committed = false;
    const held = api.app
      .get(Transactor)
      .run(async (manager) => {
        await api.app.get(MirrorService).recordCredential(manager, deckCredential('cred_Uncommitted', 'ext-2'));
        written();
        await gate;
      })
      .then(() => (committed = true));

    try {
      await insideTransaction;
      const list = (await admin.get('/api/credentials').expect(200)).body as CredentialList;
      const me = (await admin.get('/api/auth/me').expect(200)).body as OperatorView;

      // Both answered while the write was still open, from the last committed state only.
      expect(committed).toBe(false);
      expect(list.data.map((c) => c.deck_id)).toEqual(['cred_Committed']);
      expect(list.counts.verified).toBe(1);
      expect(me.email).toBe(ADMIN.email);
    } finally {
      release();
      await held;
    }

    const after = (await admin.get('/api/credentials').expect(200)).body as CredentialList;
    expect(after.data.map((c) => c.deck_id).sort()).toEqual(['cred_Committed', 'cred_Uncommitted']);
    expect(after.counts.verified).toBe(2);
  });
});
