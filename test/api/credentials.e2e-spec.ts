import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';

import type {
  CredentialDetail,
  CredentialList,
  CredentialView,
  LinkContextView,
  SourceView,
  TaskRunView,
} from '@app/contracts';
import type { CredentialStatus, DeckList, DeckTaskRun } from '@app/deck';
import { Transactor } from '@app/sqlite';

import { AuditEntryRow } from '../../apps/api/src/audit/audit-entry.entity';
import { tokenHash } from '../../apps/api/src/auth/session-cookie';
import { CredentialRow } from '../../apps/api/src/mirror/credential.entity';
import { LinkTokenRow } from '../../apps/api/src/auth/link-token.entity';
import { TaskRunRow } from '../../apps/api/src/mirror/task-run.entity';
import { ReceivedEventRow } from '../../apps/api/src/webhooks/received-event.entity';
import { loginAs, OperatorClient } from '../support/api-app';
import { expectApiError } from '../support/api-envelope';
import {
  addOperator,
  ConnectPair,
  connectPage,
  issueLink,
  PUBLIC_URL,
  sandboxCredentials,
  startConnectPair,
} from '../support/connect-flow';

const PASSWORD = 'Tr0ub4dor&3-connect';

describe('Credential flow (/api/links, /api/sources, /api/credentials)', () => {
  let pair: ConnectPair;
  let admin: OperatorClient;
  let operator: OperatorClient;
  let viewer: OperatorClient;
  let sourceId: string;
  let otherSourceId: string;

  beforeAll(async () => {
    pair = await startConnectPair();
    [sourceId, otherSourceId] = pair.sourceIds;
    admin = await loginAs(pair.api);
    operator = await addOperator(pair.api, 'operator');
    viewer = await addOperator(pair.api, 'viewer');
  });

  afterAll(async () => {
    await pair?.close();
  });

  const db = () => pair.api.app.get(DataSource);

  /** Stores a credential through the connect page of a fresh link for `externalId`. */
  async function connect(externalId: string, username = 'user_good'): Promise<CredentialView> {
    const link = await issueLink(admin, externalId);
    const res = await connectPage(pair.api, link.token).post('/api/credentials', {
      source_id: sourceId,
      username,
      password: PASSWORD,
    });
    expect(res.status).toBe(201);
    return res.body as CredentialView;
  }

  /** Plays the part of a webhook: moves the mirror row as Deck's event would. */
  async function setMirrorStatus(id: string, status: CredentialStatus): Promise<void> {
    await pair.api.app.get(Transactor).run((manager) => manager.update(CredentialRow, { id }, { status }));
  }

  describe('POST /api/links', () => {
    it('should issue a short-lived link whose token is in the URL fragment and stored only hashed', async () => {
      const before = Date.now();
      const link = await issueLink(operator, 'user-links-1', sourceId);
      expect(link).toMatchObject({ external_id: 'user-links-1', source_id: sourceId, token: expect.any(String) });
      expect(link.url).toBe(`${PUBLIC_URL}/connect#token=${link.token}`);
      const ttl = Date.parse(link.expires_at) - before;
      expect(ttl).toBeGreaterThan(29 * 60_000);
      expect(ttl).toBeLessThanOrEqual(30 * 60_000 + 5_000);

      const rows = await db().getRepository(LinkTokenRow).findBy({ external_id: 'user-links-1' });
      expect(rows).toHaveLength(1);
      expect(rows[0].token_hash).toBe(tokenHash(link.token));
      expect(JSON.stringify(rows)).not.toContain(link.token);
      const audit = await db().getRepository(AuditEntryRow).findBy({ action: 'link.created' });
      expect(audit.length).toBeGreaterThan(0);
      expect(JSON.stringify(audit)).not.toContain(link.token);
    });

    it('should need the operator role', async () => {
      expectApiError(await viewer.post('/api/links', { external_id: 'user-x' }), 403, 'forbidden');
      expectApiError(
        await request(pair.api.url).post('/api/links').send({ external_id: 'user-x' }),
        401,
        'unauthenticated',
      );
    });

    it('should validate the external_id and the source', async () => {
      expectApiError(await admin.post('/api/links', {}), 400, 'validation_failed', 'external_id');
      expectApiError(await admin.post('/api/links', { external_id: '' }), 400, 'validation_failed', 'external_id');
      expectApiError(
        await admin.post('/api/links', { external_id: 'x'.repeat(256) }),
        400,
        'validation_failed',
        'external_id',
      );
      expectApiError(
        await admin.post('/api/links', { external_id: 'u', admin: true }),
        400,
        'validation_failed',
        'admin',
      );
      expectApiError(
        await admin.post('/api/links', { external_id: 'u', source_id: 'src_doesnotexist' }),
        400,
        'validation_failed',
        'source_id',
      );
    });
  });

  describe('GET /api/links/current', () => {
    it('should tell a connect page which end user and source its link is for', async () => {
      const link = await issueLink(admin, 'user-current', sourceId);
      const res = await connectPage(pair.api, link.token).get('/api/links/current').expect(200);
      expect(res.body as LinkContextView).toEqual({
        external_id: 'user-current',
        source_id: sourceId,
        expires_at: link.expires_at,
      });
    });

    it('should speak for the link, not the operator, when a signed-in operator opens a connect link', async () => {
      const link = await issueLink(admin, 'user-in-operator-browser', sourceId);
      const res = await admin.agent.get('/api/links/current').set('X-Link-Token', link.token).expect(200);
      expect((res.body as LinkContextView).external_id).toBe('user-in-operator-browser');
      expectApiError(
        await admin.agent.get('/api/links/current').set('X-Link-Token', 'not-a-real-token'),
        401,
        'link_invalid',
      );
    });

    it('should answer 404 to an operator and 401 link_invalid to a bad link', async () => {
      expectApiError(await admin.get('/api/links/current'), 404, 'not_found');
      expectApiError(await connectPage(pair.api, 'not-a-real-token').get('/api/links/current'), 401, 'link_invalid');
      expectApiError(await request(pair.api.url).get('/api/links/current'), 401, 'unauthenticated');
    });
  });

  describe('GET /api/sources', () => {
    it("should list Deck's sources for operators", async () => {
      const sources = (await viewer.get('/api/sources').expect(200)).body as SourceView[];
      expect(sources.map((s) => s.id).sort()).toEqual([...pair.sourceIds].sort());
      expect(sources[0]).toEqual({
        id: expect.any(String),
        name: expect.any(String),
        url: expect.stringMatching(/^https?:/),
      });
    });

    it('should give a link limited to a source only that source, and any other link all of them', async () => {
      const limited = await issueLink(admin, 'user-sources', otherSourceId);
      const onlyOne = (await connectPage(pair.api, limited.token).get('/api/sources').expect(200)).body as SourceView[];
      expect(onlyOne.map((s) => s.id)).toEqual([otherSourceId]);
      const open = await issueLink(admin, 'user-sources');
      const all = (await connectPage(pair.api, open.token).get('/api/sources').expect(200)).body as SourceView[];
      expect(all).toHaveLength(pair.sourceIds.length);
      expectApiError(await request(pair.api.url).get('/api/sources'), 401, 'unauthenticated');
    });
  });

  describe('POST /api/credentials', () => {
    it("should store a connect page's login with Deck and answer the unverified credential", async () => {
      const link = await issueLink(admin, 'user-connect-1');
      const res = await connectPage(pair.api, link.token).post('/api/credentials', {
        source_id: sourceId,
        email: 'user_good@example.com',
        password: PASSWORD,
        source_fields: { company_id: 'ACME' },
      });
      expect(res.status).toBe(201);
      const credential = res.body as CredentialView;
      expect(credential).toMatchObject({
        source_id: sourceId,
        external_id: 'user-connect-1',
        auth_method: 'username_password',
        username_hint: 'us***@example.com',
        status: 'unverified',
        deck_id: expect.stringMatching(/^cred_/),
      });
      expect(JSON.stringify(res.body)).not.toContain(PASSWORD);

      const atDeck = (await pair.sandbox.get(`/v2/credentials/${credential.deck_id}`).expect(200)).body as Record<
        string,
        unknown
      >;
      expect(atDeck).toMatchObject({
        status: 'unverified',
        external_id: 'user-connect-1',
        source_id: sourceId,
        auth_credentials: { username: 'user_good@example.com', source_fields: { company_id: 'ACME' } },
      });
      const row = await db().getRepository(CredentialRow).findOneByOrFail({ id: credential.id });
      expect(row.deck_id).toBe(credential.deck_id);
      const audit = await db()
        .getRepository(AuditEntryRow)
        .findOneByOrFail({ action: 'credential.created', target: credential.id });
      expect(audit.actor).toBe('end_user:user-connect-1');
      expect(JSON.stringify(audit)).not.toMatch(/user_good|Tr0ub4dor/);
    });

    it('should let an operator store a login for an end user it names, and require the name', async () => {
      const res = await operator.post('/api/credentials', {
        source_id: sourceId,
        username: 'user_mfa',
        password: PASSWORD,
        external_id: 'user-by-operator',
      });
      expect(res.status).toBe(201);
      expect(res.body as CredentialView).toMatchObject({ external_id: 'user-by-operator', status: 'unverified' });
      expectApiError(
        await operator.post('/api/credentials', { source_id: sourceId, username: 'user_good', password: PASSWORD }),
        400,
        'validation_failed',
        'external_id',
      );
    });

    it('should take the end user from the link, never from the body, and keep a source-limited link to its source', async () => {
      const link = await issueLink(admin, 'user-scoped', sourceId);
      const page = connectPage(pair.api, link.token);
      expectApiError(
        await page.post('/api/credentials', {
          source_id: sourceId,
          username: 'u',
          password: 'p',
          external_id: 'someone-else',
        }),
        400,
        'validation_failed',
        'external_id',
      );
      expectApiError(
        await page.post('/api/credentials', { source_id: otherSourceId, username: 'u', password: 'p' }),
        403,
        'forbidden',
      );
      expect(await sandboxCredentials(pair.sandbox, 'external_id=someone-else')).toHaveLength(0);
      expect(await sandboxCredentials(pair.sandbox, 'external_id=user-scoped')).toHaveLength(0);
    });

    it('should refuse an unknown source before calling Deck', async () => {
      const link = await issueLink(admin, 'user-unknown-source');
      expectApiError(
        await connectPage(pair.api, link.token).post('/api/credentials', {
          source_id: 'src_000000000000000000000000',
          username: 'user_good',
          password: PASSWORD,
        }),
        400,
        'validation_failed',
        'source_id',
      );
      expect(await sandboxCredentials(pair.sandbox, 'external_id=user-unknown-source')).toHaveLength(0);
    });

    it('should answer 401 without a session or with a bad link, and 403 to a viewer', async () => {
      const body = { source_id: sourceId, username: 'user_good', password: PASSWORD, external_id: 'user-roles' };
      expectApiError(await request(pair.api.url).post('/api/credentials').send(body), 401, 'unauthenticated');
      expectApiError(
        await connectPage(pair.api, 'forged-link-token').post('/api/credentials', { ...body, external_id: undefined }),
        401,
        'link_invalid',
      );
      expectApiError(await viewer.post('/api/credentials', body), 403, 'forbidden');
      expect(await sandboxCredentials(pair.sandbox, 'external_id=user-roles')).toHaveLength(0);
    });

    it('should make one credential at Deck for a double-click with the same Idempotency-Key', async () => {
      const link = await issueLink(admin, 'user-double-click');
      const body = { source_id: sourceId, username: 'user_good', password: PASSWORD };
      const post = () =>
        connectPage(pair.api, link.token).post('/api/credentials', body).set('Idempotency-Key', 'click-1');
      const [first, second] = await Promise.all([post(), post()]);
      expect([first.status, second.status]).toEqual([201, 201]);
      expect((second.body as CredentialView).id).toBe((first.body as CredentialView).id);
      const third = await post();
      expect(third.status).toBe(201);
      expect(third.headers['idempotent-replayed']).toBe('true');
      expect((third.body as CredentialView).id).toBe((first.body as CredentialView).id);
      expect(await sandboxCredentials(pair.sandbox, 'external_id=user-double-click')).toHaveLength(1);

      // Another key is another credential; the same key with other details is refused.
      const other = await connectPage(pair.api, link.token)
        .post('/api/credentials', body)
        .set('Idempotency-Key', 'click-2');
      expect(other.status).toBe(201);
      expect((other.body as CredentialView).id).not.toBe((first.body as CredentialView).id);
      expectApiError(
        await connectPage(pair.api, link.token)
          .post('/api/credentials', { ...body, username: 'user_bad' })
          .set('Idempotency-Key', 'click-1'),
        409,
        'conflict',
      );
      expect(await sandboxCredentials(pair.sandbox, 'external_id=user-double-click')).toHaveLength(2);

      // Keys are per caller: an operator's "click-1" is not the connect page's.
      const operators = await operator
        .post('/api/credentials', { ...body, external_id: 'user-double-click' })
        .set('Idempotency-Key', 'click-1');
      expect(operators.status).toBe(201);
      expect(operators.headers['idempotent-replayed']).toBeUndefined();
      expect(await sandboxCredentials(pair.sandbox, 'external_id=user-double-click')).toHaveLength(3);
      expectApiError(
        await connectPage(pair.api, link.token).post('/api/credentials', body).set('Idempotency-Key', 'x'.repeat(256)),
        400,
        'validation_failed',
        'Idempotency-Key',
      );
    });
  });

  describe('PATCH /api/credentials/:id', () => {
    it('should send new login details to Deck and put the credential back to unverified', async () => {
      const credential = await connect('user-patch-1');
      await pair.sandbox.post(`/sandbox/credentials/${credential.deck_id}/status`, { status: 'verified' }).expect(200);
      await setMirrorStatus(credential.id, 'verified');

      const res = await operator.patch(`/api/credentials/${credential.id}`, { password: 'a-new-password-1' });
      expect(res.status).toBe(200);
      expect(res.body as CredentialView).toMatchObject({ id: credential.id, status: 'unverified' });
      expect((await db().getRepository(CredentialRow).findOneByOrFail({ id: credential.id })).status).toBe(
        'unverified',
      );
      const atDeck = (await pair.sandbox.get(`/v2/credentials/${credential.deck_id}`).expect(200)).body as {
        status: string;
      };
      expect(atDeck.status).toBe('unverified');
      const audit = await db()
        .getRepository(AuditEntryRow)
        .findOneByOrFail({ action: 'credential.updated', target: credential.id });
      expect(audit.detail).toEqual({ deck_id: credential.deck_id, fields: ['password'] });
    });

    it("should let a connect page change its own credential's login, and no one else's", async () => {
      const mine = await connect('user-patch-2');
      const theirs = await connect('user-patch-3');
      const link = await issueLink(admin, 'user-patch-2');
      const page = connectPage(pair.api, link.token);
      const res = await page.patch(`/api/credentials/${mine.id}`, { email: 'user_mfa@example.com' });
      expect(res.status).toBe(200);
      expect((res.body as CredentialView).username_hint).toBe('us***@example.com');
      const atDeck = (await pair.sandbox.get(`/v2/credentials/${mine.deck_id}`).expect(200)).body as {
        auth_credentials: { username: string };
      };
      expect(atDeck.auth_credentials.username).toBe('user_mfa@example.com');
      expectApiError(await page.patch(`/api/credentials/${theirs.id}`, { password: 'x' }), 404, 'not_found');
    });

    it('should refuse an empty change, two logins at once, viewers and deleted credentials', async () => {
      const credential = await connect('user-patch-4');
      expectApiError(await operator.patch(`/api/credentials/${credential.id}`, {}), 400, 'validation_failed');
      expectApiError(
        await operator.patch(`/api/credentials/${credential.id}`, { email: 'a@example.com', username: 'a' }),
        400,
        'validation_failed',
        'username',
      );
      expectApiError(await viewer.patch(`/api/credentials/${credential.id}`, { password: 'x' }), 403, 'forbidden');
      expectApiError(await operator.patch(`/api/credentials/${randomUUID()}`, { password: 'x' }), 404, 'not_found');
      await operator.delete(`/api/credentials/${credential.id}`).expect(200);
      expectApiError(await operator.patch(`/api/credentials/${credential.id}`, { password: 'x' }), 409, 'conflict');
    });
  });

  describe('DELETE /api/credentials/:id', () => {
    it('should delete the login at Deck and keep the credential readable as deleted', async () => {
      const credential = await connect('user-delete-1');
      const res = await operator.delete(`/api/credentials/${credential.id}`);
      expect(res.status).toBe(200);
      expect(res.body as CredentialView).toMatchObject({ id: credential.id, status: 'deleted' });
      const atDeck = (await pair.sandbox.get(`/v2/credentials/${credential.deck_id}`).expect(200)).body as {
        status: string;
      };
      expect(atDeck.status).toBe('deleted');
      expect(
        (await operator.get(`/api/credentials/${credential.id}`).expect(200)).body as CredentialDetail,
      ).toMatchObject({
        credential: { status: 'deleted' },
      });
      expect(
        await db().getRepository(AuditEntryRow).countBy({ action: 'credential.deleted', target: credential.id }),
      ).toBe(1);
      expectApiError(await operator.delete(`/api/credentials/${credential.id}`), 409, 'conflict');
    });

    it('should be for operators only: not viewers, not connect pages', async () => {
      const credential = await connect('user-delete-2');
      expectApiError(await viewer.delete(`/api/credentials/${credential.id}`), 403, 'forbidden');
      const link = await issueLink(admin, 'user-delete-2');
      expectApiError(
        await connectPage(pair.api, link.token).delete(`/api/credentials/${credential.id}`),
        401,
        'unauthenticated',
      );
      const atDeck = (await pair.sandbox.get(`/v2/credentials/${credential.deck_id}`).expect(200)).body as {
        status: string;
      };
      expect(atDeck.status).toBe('unverified');
    });
  });

  describe('POST /api/credentials/:id/verify', () => {
    it('should answer 503 with a clear message when Deck has no verification task', async () => {
      const credential = await connect('user-verify-0');
      await pair.sandbox.patch(`/v2/tasks/${pair.taskId}`, { name: 'Renamed for the test' }).expect(200);
      try {
        const body = expectApiError(
          await operator.post(`/api/credentials/${credential.id}/verify`),
          503,
          'unavailable',
        );
        expect(body.message).toMatch(/Verify login/);
      } finally {
        await pair.sandbox.patch(`/v2/tasks/${pair.taskId}`, { name: 'Verify login' }).expect(200);
      }
    });

    it('should run the "Verify login" task for the credential and answer the queued run', async () => {
      const credential = await connect('user-verify-1');
      const res = await operator.post(`/api/credentials/${credential.id}/verify`);
      expect(res.status).toBe(202);
      const run = res.body as TaskRunView;
      expect(run).toMatchObject({
        credential_id: credential.id,
        task_id: pair.taskId,
        deck_id: expect.stringMatching(/^trun_/),
      });
      const atDeck = (await pair.sandbox.get(`/v2/task-runs/${run.deck_id}`).expect(200)).body as DeckTaskRun;
      expect(atDeck.credential_id).toBe(credential.deck_id);
      expect(await db().getRepository(TaskRunRow).countBy({ credential_id: credential.id })).toBe(1);
      expect(
        await db().getRepository(AuditEntryRow).countBy({ action: 'credential.verify', target: credential.id }),
      ).toBe(1);
    });

    it("should let a connect page verify its own credential, not another end user's", async () => {
      const mine = await connect('user-verify-2');
      const theirs = await connect('user-verify-3');
      const page = connectPage(pair.api, (await issueLink(admin, 'user-verify-2')).token);
      expect((await page.post(`/api/credentials/${mine.id}/verify`)).status).toBe(202);
      expectApiError(await page.post(`/api/credentials/${theirs.id}/verify`), 404, 'not_found');
      expectApiError(await viewer.post(`/api/credentials/${mine.id}/verify`), 403, 'forbidden');
      expect(await db().getRepository(TaskRunRow).countBy({ credential_id: theirs.id })).toBe(0);
    });

    it('should refuse a deleted credential without asking Deck', async () => {
      const credential = await connect('user-verify-4');
      await operator.delete(`/api/credentials/${credential.id}`).expect(200);
      const runsBefore = (await pair.sandbox.get(`/v2/task-runs?credential_id=${credential.deck_id}`).expect(200))
        .body as DeckList<DeckTaskRun>;
      expectApiError(await operator.post(`/api/credentials/${credential.id}/verify`), 409, 'conflict');
      const runsAfter = (await pair.sandbox.get(`/v2/task-runs?credential_id=${credential.deck_id}`).expect(200))
        .body as DeckList<DeckTaskRun>;
      expect(runsAfter.data).toHaveLength(runsBefore.data.length);
    });
  });

  describe('GET /api/credentials', () => {
    /** Credentials of this describe only: every external_id starts with `lst-`. */
    const made: CredentialView[] = [];

    beforeAll(async () => {
      const plan: [string, string, CredentialStatus][] = [
        ['lst-a', sourceId, 'unverified'],
        ['lst-b', sourceId, 'verified'],
        ['lst-c', otherSourceId, 'verified'],
        ['lst-d', sourceId, 'invalid'],
        ['lst-e%x', sourceId, 'unverified'],
        ['lst-f_y', otherSourceId, 'unverified'],
        ['lst-g', sourceId, 'unverified'],
      ];
      for (const [externalId, source, status] of plan) {
        const res = await admin.post('/api/credentials', {
          source_id: source,
          username: 'user_good',
          password: PASSWORD,
          external_id: externalId,
        });
        expect(res.status).toBe(201);
        const credential = res.body as CredentialView;
        if (status !== 'unverified') {
          await setMirrorStatus(credential.id, status);
        }
        made.push({ ...credential, status });
      }
      await admin.delete(`/api/credentials/${made[6].id}`).expect(200);
      made[6] = { ...made[6], status: 'deleted' };
    });

    const list = async (client: { get: (path: string) => request.Test }, query: string): Promise<CredentialList> => {
      const res = await client.get(`/api/credentials?${query}`);
      expect(res.status).toBe(200);
      return res.body as CredentialList;
    };
    const ids = (page: CredentialList) => page.data.map((c) => c.external_id);

    it('should filter by status (repeated or comma-separated), source, external_id and free text', async () => {
      expect(ids(await list(viewer, 'q=lst-&status=verified&status=invalid')).sort()).toEqual([
        'lst-b',
        'lst-c',
        'lst-d',
      ]);
      expect(ids(await list(viewer, 'q=lst-&status=verified,invalid')).sort()).toEqual(['lst-b', 'lst-c', 'lst-d']);
      expect(ids(await list(viewer, `q=lst-&source_id=${otherSourceId}`)).sort()).toEqual(['lst-c', 'lst-f_y']);
      expect(ids(await list(viewer, 'external_id=lst-b'))).toEqual(['lst-b']);
      expect(ids(await list(viewer, `q=${encodeURIComponent(made[3].deck_id)}`))).toEqual(['lst-d']);
    });

    it('should match % and _ in the free text literally', async () => {
      expect(ids(await list(viewer, `q=${encodeURIComponent('lst-e%')}`))).toEqual(['lst-e%x']);
      expect(ids(await list(viewer, `q=${encodeURIComponent('lst-f_')}`))).toEqual(['lst-f_y']);
      expect(ids(await list(viewer, `q=${encodeURIComponent('lst-_')}`))).toEqual([]);
    });

    it('should count every status over the filtered set, zeros included', async () => {
      const page = await list(viewer, 'q=lst-');
      expect(page.counts).toEqual({ unverified: 3, verified: 2, invalid: 1, deleted: 1 });
      const other = await list(viewer, `q=lst-&source_id=${otherSourceId}&status=verified`);
      expect(ids(other)).toEqual(['lst-c']);
      expect(other.counts).toEqual({ unverified: 1, verified: 1, invalid: 0, deleted: 0 });
    });

    it('should sort newest first by default, and page through with a cursor without gaps or repeats', async () => {
      const all = await list(viewer, 'q=lst-&limit=100');
      expect(ids(all)).toEqual([...made].reverse().map((c) => c.external_id));
      for (const sort of ['created_at', '-created_at', 'status_changed_at', '-status_changed_at']) {
        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const page: CredentialList = await list(
            viewer,
            `q=lst-&sort=${sort}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          );
          seen.push(...page.data.map((c) => c.id));
          expect(page.data.length).toBeLessThanOrEqual(2);
          cursor = page.next_cursor;
          expect(page.has_more).toBe(cursor !== null);
          pages++;
        } while (cursor && pages < 10);
        expect(seen).toHaveLength(made.length);
        expect(new Set(seen).size).toBe(made.length);
        const full = (await list(viewer, `q=lst-&sort=${sort}&limit=100`)).data.map((c) => c.id);
        expect(seen).toEqual(full);
      }
      const oldestFirst = await list(viewer, 'q=lst-&sort=created_at');
      expect(ids(oldestFirst)).toEqual(made.map((c) => c.external_id));
    });

    it('should refuse bad filters, naming the field (no injection reaches the database)', async () => {
      const cases: [string, string][] = [
        [`status=${encodeURIComponent("verified' OR 1=1--")}`, 'status'],
        ['status=pending', 'status'],
        [`sort=${encodeURIComponent('name;DROP TABLE credentials')}`, 'sort'],
        [`sort=${encodeURIComponent('(CASE WHEN 1=1 THEN created_at END)')}`, 'sort'],
        ['limit=-1', 'limit'],
        ['limit=0', 'limit'],
        ['limit=101', 'limit'],
        ['limit=1e9', 'limit'],
        ['limit=abc', 'limit'],
        ['page=NaN', 'page'],
        ['cursor=not-a-cursor', 'cursor'],
        [`q=${'x'.repeat(201)}`, 'q'],
      ];
      for (const [query, field] of cases) {
        expectApiError(await viewer.get(`/api/credentials?${query}`), 400, 'validation_failed', field);
      }
      const first = await list(viewer, 'q=lst-&limit=2&sort=created_at');
      expectApiError(
        await viewer.get(
          `/api/credentials?q=lst-&limit=2&sort=-created_at&cursor=${encodeURIComponent(first.next_cursor ?? '')}`,
        ),
        400,
        'validation_failed',
        'cursor',
      );
      expectApiError(
        await viewer.get(
          `/api/credentials?q=lst-a&limit=2&sort=created_at&cursor=${encodeURIComponent(first.next_cursor ?? '')}`,
        ),
        400,
        'validation_failed',
        'cursor',
      );
      expect(await db().getRepository(CredentialRow).count()).toBeGreaterThanOrEqual(made.length);
    });

    it("should show a connect page only its own end user's credentials", async () => {
      const page = connectPage(pair.api, (await issueLink(admin, 'lst-b')).token);
      const own = await list(page, '');
      expect(ids(own)).toEqual(['lst-b']);
      expect(own.counts).toEqual({ unverified: 0, verified: 1, invalid: 0, deleted: 0 });
      expect(ids(await list(page, 'external_id=lst-c'))).toEqual([]);
      expectApiError(await request(pair.api.url).get('/api/credentials'), 401, 'unauthenticated');
    });
  });

  describe('GET /api/credentials/:id', () => {
    it('should show the credential with its runs and a timeline of events, runs and prompts, newest first', async () => {
      const credential = await connect('user-detail-1', 'user_mfa');
      const run = (await operator.post(`/api/credentials/${credential.id}/verify`).expect(202)).body as TaskRunView;
      const unrelated = await connect('user-detail-2');
      const event = (id: string, type: string, objectId: string, data: Record<string, unknown>, at: string) => ({
        id,
        type,
        object_id: objectId,
        // What the inbox records: the credential an event is about or names.
        deck_credential_id: type.startsWith('credential.') ? objectId : ((data.credential_id as string) ?? null),
        created_at: at,
        received_at: at,
        via: 'webhook' as const,
        duplicates: 0,
        outcome: 'applied' as const,
        note: null,
        payload: { id, object: 'event', type, data, created_at: at },
      });
      const later = new Date(Date.now() + 60_000).toISOString();
      const latest = new Date(Date.now() + 120_000).toISOString();
      await pair.api.app
        .get(Transactor)
        .run((manager) =>
          manager.insert(ReceivedEventRow, [
            event(
              'evt_test_cred',
              'credential.created',
              credential.deck_id,
              { id: credential.deck_id },
              credential.created_at,
            ),
            event(
              'evt_test_run',
              'task_run.running',
              run.deck_id,
              { id: run.deck_id, credential_id: credential.deck_id },
              later,
            ),
            event('evt_test_other', 'credential.created', unrelated.deck_id, { id: unrelated.deck_id }, latest),
          ]),
        );

      const detail = (await viewer.get(`/api/credentials/${credential.id}`).expect(200)).body as CredentialDetail;
      expect(detail.credential).toMatchObject({ id: credential.id, deck_id: credential.deck_id });
      expect(detail.runs.map((r) => r.id)).toEqual([run.id]);
      expect(detail.interactions).toEqual([]);
      const refs = detail.timeline.map((t) => t.ref);
      expect(refs).toEqual(expect.arrayContaining(['evt_test_cred', 'evt_test_run', run.id]));
      expect(refs).not.toContain('evt_test_other');
      expect(detail.timeline[0]).toMatchObject({ kind: 'event', ref: 'evt_test_run', type: 'task_run.running' });
      const times = detail.timeline.map((t) => t.at);
      expect(times).toEqual([...times].sort().reverse());

      // Deck's id finds it too.
      const byDeckId = (await viewer.get(`/api/credentials/${credential.deck_id}`).expect(200))
        .body as CredentialDetail;
      expect(byDeckId.credential.id).toBe(credential.id);
    });

    it("should answer 404 for an unknown id and for another end user's credential", async () => {
      expectApiError(await viewer.get(`/api/credentials/${randomUUID()}`), 404, 'not_found');
      const theirs = await connect('user-detail-3');
      const page = connectPage(pair.api, (await issueLink(admin, 'user-detail-4')).token);
      expectApiError(await page.get(`/api/credentials/${theirs.id}`), 404, 'not_found');
      const own = connectPage(pair.api, (await issueLink(admin, 'user-detail-3')).token);
      expect(
        ((await own.get(`/api/credentials/${theirs.id}`).expect(200)).body as CredentialDetail).credential.id,
      ).toBe(theirs.id);
    });
  });

  it('should document its routes in the OpenAPI document', async () => {
    const doc = (await request(pair.api.url).get('/api/docs/openapi.json').expect(200)).body as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/links',
        '/api/links/current',
        '/api/sources',
        '/api/credentials',
        '/api/credentials/{id}',
        '/api/credentials/{id}/verify',
      ]),
    );
  });
});
