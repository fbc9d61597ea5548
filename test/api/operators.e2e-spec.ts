import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';

import type { AuditEntryView, OperatorView, Page } from '@app/contracts';

import { OperatorSessionRow } from '../../apps/api/src/auth/operator-session.entity';
import { ADMIN, ApiApp, loginAs, OperatorClient, startApi } from '../support/api-app';
import { expectApiError } from '../support/api-envelope';
import { MockDeck, newApiKey, startMockDeck } from '../support/mock-deck-app';

const PASSWORD = 'a-long-enough-passphrase';
const NEW_PASSWORD = 'another-long-passphrase-2';

describe('Operators and the audit log (/api/operators, /api/audit)', () => {
  let deck: MockDeck;
  let api: ApiApp;
  let admin: OperatorClient;
  let adminId: string;
  let viewer: OperatorClient;
  let viewerId: string;
  let operator: OperatorClient;

  beforeAll(async () => {
    deck = await startMockDeck();
    api = await startApi({
      DECK_API_URL: `${deck.url}/v2`,
      DECK_API_KEY: newApiKey(),
      DECK_WEBHOOK_SECRET: `whsec_${randomBytes(32).toString('base64')}`,
    });
    admin = await loginAs(api);
    adminId = ((await admin.get('/api/auth/me').expect(200)).body as OperatorView).id;
  });

  afterAll(async () => {
    await api?.close();
    await deck?.close();
  });

  async function create(email: string, role: string): Promise<OperatorView> {
    return (await admin.post('/api/operators', { email, password: PASSWORD, role }).expect(201)).body as OperatorView;
  }

  async function list(): Promise<OperatorView[]> {
    return (await admin.get('/api/operators').expect(200)).body as OperatorView[];
  }

  describe('POST /api/operators', () => {
    it('should create a viewer and an operator who can log in with their role', async () => {
      const created = await create('Viewer@Deckhand.test', 'viewer');
      expect(created).toEqual({
        id: expect.any(String),
        email: 'viewer@deckhand.test',
        role: 'viewer',
        created_at: expect.any(String),
      });
      await create('operator@deckhand.test', 'operator');
      viewer = await loginAs(api, { email: 'viewer@deckhand.test', password: PASSWORD });
      operator = await loginAs(api, { email: 'operator@deckhand.test', password: PASSWORD });
      viewerId = created.id;
      expect((await viewer.get('/api/auth/me').expect(200)).body).toMatchObject({ role: 'viewer' });
      expect((await operator.get('/api/auth/me').expect(200)).body).toMatchObject({ role: 'operator' });
      expect((await list()).map((o) => o.email)).toEqual(
        expect.arrayContaining([ADMIN.email, 'viewer@deckhand.test', 'operator@deckhand.test']),
      );
    });

    it('should refuse an e-mail that is already taken, whatever its case', async () => {
      const before = await list();
      expectApiError(
        await admin.post('/api/operators', { email: 'VIEWER@deckhand.test', password: PASSWORD, role: 'admin' }),
        409,
        'conflict',
      );
      expect(await list()).toEqual(before);
    });

    it('should validate the body and create nothing', async () => {
      const before = await list();
      const good = { email: 'new@deckhand.test', password: PASSWORD, role: 'viewer' };
      const cases: [object, string][] = [
        [{ ...good, password: 'short-pass1' }, 'password'],
        [{ ...good, password: 123456789012 }, 'password'],
        [{ ...good, email: 'not-an-email' }, 'email'],
        [{ ...good, role: 'superuser' }, 'role'],
        [{ ...good, role: undefined }, 'role'],
        [{ ...good, is_admin: true }, 'is_admin'],
        [{ email: good.email, role: 'viewer' }, 'password'],
      ];
      for (const [body, field] of cases) {
        expectApiError(await admin.post('/api/operators', body), 400, 'validation_failed', field);
      }
      expect(await list()).toEqual(before);
    });
  });

  describe('roles on REST', () => {
    it('should let a viewer read the queue but not answer prompts or manage operators', async () => {
      await viewer.get('/api/interactions').expect(200);
      expectApiError(await viewer.post('/api/task-runs/any/interaction', { input: { code: '1' } }), 403, 'forbidden');
      expectApiError(await viewer.get('/api/operators'), 403, 'forbidden');
      expectApiError(
        await viewer.post('/api/operators', { email: 'x@deckhand.test', password: PASSWORD, role: 'admin' }),
        403,
        'forbidden',
      );
      expectApiError(await viewer.patch(`/api/operators/${viewerId}`, { role: 'admin' }), 403, 'forbidden');
      expectApiError(await viewer.get('/api/audit'), 403, 'forbidden');
    });

    it('should not let an operator manage operators or read the audit log', async () => {
      expectApiError(await operator.get('/api/operators'), 403, 'forbidden');
      expectApiError(
        await operator.post('/api/operators', { email: 'y@deckhand.test', password: PASSWORD, role: 'operator' }),
        403,
        'forbidden',
      );
      expectApiError(await operator.delete(`/api/operators/${viewerId}`), 403, 'forbidden');
      expectApiError(await operator.get('/api/audit'), 403, 'forbidden');
      expect((await list()).find((o) => o.id === viewerId)).toMatchObject({ role: 'viewer' });
    });

    it('should answer 401 without a session and 403 without the CSRF header', async () => {
      expectApiError(await request(api.url).get('/api/operators'), 401, 'unauthenticated');
      expectApiError(await request(api.url).get('/api/audit'), 401, 'unauthenticated');
      expectApiError(
        await request(api.url)
          .post('/api/operators')
          .send({ email: 'z@deckhand.test', password: PASSWORD, role: 'admin' }),
        401,
        'unauthenticated',
      );
      expectApiError(
        await admin.agent.post('/api/operators').send({ email: 'z@deckhand.test', password: PASSWORD, role: 'admin' }),
        403,
        'csrf_invalid',
      );
      expect((await list()).map((o) => o.email)).not.toContain('z@deckhand.test');
    });
  });

  describe('PATCH /api/operators/:id', () => {
    it('should change a role, effective on the next request of an open session', async () => {
      const res = await admin.patch(`/api/operators/${viewerId}`, { role: 'operator' }).expect(200);
      expect(res.body).toMatchObject({ id: viewerId, role: 'operator' });
      expect((await viewer.get('/api/auth/me').expect(200)).body).toMatchObject({ role: 'operator' });
      await admin.patch(`/api/operators/${viewerId}`, { role: 'viewer' }).expect(200);
      expectApiError(await viewer.post('/api/task-runs/any/interaction', { input: { code: '1' } }), 403, 'forbidden');
    });

    it("should set a new password and end that operator's sessions", async () => {
      const changer = await create('changer@deckhand.test', 'operator');
      const session = await loginAs(api, { email: 'changer@deckhand.test', password: PASSWORD });
      await session.get('/api/auth/me').expect(200);
      const res = await admin.patch(`/api/operators/${changer.id}`, { password: NEW_PASSWORD }).expect(200);
      expect(JSON.stringify(res.body)).not.toContain(NEW_PASSWORD);
      expectApiError(await session.get('/api/auth/me'), 401, 'unauthenticated');
      const fresh = await loginAs(api, { email: 'changer@deckhand.test', password: NEW_PASSWORD });
      expect((await fresh.get('/api/auth/me').expect(200)).body).toMatchObject({ id: changer.id });
    });

    it('should validate the change', async () => {
      expectApiError(await admin.patch(`/api/operators/${viewerId}`, {}), 400, 'validation_failed');
      expectApiError(
        await admin.patch(`/api/operators/${viewerId}`, { role: 'root' }),
        400,
        'validation_failed',
        'role',
      );
      expectApiError(
        await admin.patch(`/api/operators/${viewerId}`, { password: 'too-short' }),
        400,
        'validation_failed',
        'password',
      );
      expectApiError(
        await admin.patch(`/api/operators/${viewerId}`, { email: 'new@deckhand.test' }),
        400,
        'validation_failed',
        'email',
      );
      expectApiError(await admin.patch('/api/operators/no-such-operator', { role: 'viewer' }), 404, 'not_found');
      expect((await list()).find((o) => o.id === viewerId)).toMatchObject({
        email: 'viewer@deckhand.test',
        role: 'viewer',
      });
    });
  });

  describe('the last admin and oneself', () => {
    it('should never demote or remove the last admin', async () => {
      expect((await list()).filter((o) => o.role === 'admin').map((o) => o.id)).toEqual([adminId]);
      const demote = expectApiError(
        await admin.patch(`/api/operators/${adminId}`, { role: 'operator' }),
        409,
        'conflict',
      );
      expect(demote.message).toMatch(/last admin/);
      const remove = expectApiError(await admin.delete(`/api/operators/${adminId}`), 409, 'conflict');
      expect(remove.message).toMatch(/last admin/);
      expect((await admin.get('/api/auth/me').expect(200)).body).toMatchObject({ role: 'admin' });
    });

    it('should not let an admin demote or remove itself, even with another admin around', async () => {
      const second = await create('admin2@deckhand.test', 'admin');
      const secondSession = await loginAs(api, { email: 'admin2@deckhand.test', password: PASSWORD });
      const demote = expectApiError(
        await admin.patch(`/api/operators/${adminId}`, { role: 'viewer' }),
        409,
        'conflict',
      );
      expect(demote.message).toMatch(/yourself/);
      const remove = expectApiError(await admin.delete(`/api/operators/${adminId}`), 409, 'conflict');
      expect(remove.message).toMatch(/yourself/);

      // Another admin may be demoted; it loses admin rights at once.
      await admin.patch(`/api/operators/${second.id}`, { role: 'operator' }).expect(200);
      expectApiError(await secondSession.get('/api/operators'), 403, 'forbidden');
      expectApiError(await secondSession.patch(`/api/operators/${adminId}`, { role: 'viewer' }), 403, 'forbidden');
      expect((await list()).filter((o) => o.role === 'admin').map((o) => o.id)).toEqual([adminId]);
    });
  });

  describe('DELETE /api/operators/:id', () => {
    it('should remove an operator and end its session at once', async () => {
      const leaver = await create('leaver@deckhand.test', 'operator');
      const session = await loginAs(api, { email: 'leaver@deckhand.test', password: PASSWORD });
      await session.get('/api/interactions').expect(200);
      await admin.delete(`/api/operators/${leaver.id}`).expect(204);
      expectApiError(await session.get('/api/interactions'), 401, 'unauthenticated');
      expectApiError(await session.get('/api/auth/me'), 401, 'unauthenticated');
      expect((await list()).map((o) => o.id)).not.toContain(leaver.id);
      // Its sessions are gone, not just orphaned.
      expect(await api.app.get(DataSource).getRepository(OperatorSessionRow).countBy({ operator_id: leaver.id })).toBe(
        0,
      );
      expectApiError(await admin.delete(`/api/operators/${leaver.id}`), 404, 'not_found');
      expectApiError(
        await request(api.url).post('/api/auth/login').send({ email: 'leaver@deckhand.test', password: PASSWORD }),
        401,
        'unauthenticated',
      );
    });
  });

  describe('GET /api/audit', () => {
    it('should list the changes newest first, naming who did them, without passwords', async () => {
      const audit = (await admin.get('/api/audit?limit=100').expect(200)).body as Page<AuditEntryView>;
      const mine = audit.data.filter((e) => e.action.startsWith('operator.') && e.action !== 'operator.login');
      expect(mine.map((e) => e.action)).toEqual(
        expect.arrayContaining(['operator.created', 'operator.updated', 'operator.deleted']),
      );
      expect(mine.every((e) => e.actor === adminId)).toBe(true);
      expect(mine).toContainEqual(
        expect.objectContaining({
          action: 'operator.created',
          target: viewerId,
          detail: { email: 'viewer@deckhand.test', role: 'viewer' },
        }),
      );
      expect(mine).toContainEqual(
        expect.objectContaining({ action: 'operator.updated', detail: { password_changed: true } }),
      );
      expect(mine).toContainEqual(
        expect.objectContaining({
          action: 'operator.updated',
          target: viewerId,
          detail: { role: { from: 'viewer', to: 'operator' } },
        }),
      );
      const seqs = audit.data.map((e) => e.seq);
      expect([...seqs].sort((a, b) => b - a)).toEqual(seqs);
      const text = JSON.stringify(audit);
      for (const secret of [PASSWORD, NEW_PASSWORD, ADMIN.password, 'scrypt$']) {
        expect(text).not.toContain(secret);
      }
    });

    it('should page with a cursor', async () => {
      const all = (await admin.get('/api/audit?limit=100').expect(200)).body as Page<AuditEntryView>;
      expect(all.has_more).toBe(false);
      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const page = (await admin.get(`/api/audit?limit=3${cursor ? `&cursor=${cursor}` : ''}`).expect(200))
          .body as Page<AuditEntryView>;
        seen.push(...page.data.map((e) => e.seq));
        cursor = page.next_cursor;
      } while (cursor);
      expect(seen).toEqual(all.data.map((e) => e.seq));
    });

    it('should refuse bad paging parameters', async () => {
      expectApiError(await admin.get('/api/audit?cursor=bogus'), 400, 'validation_failed', 'cursor');
      expectApiError(await admin.get('/api/audit?limit=0'), 400, 'validation_failed', 'limit');
      expectApiError(await admin.get('/api/audit?limit=101'), 400, 'validation_failed', 'limit');
      expectApiError(await admin.get('/api/audit?actor=me'), 400, 'validation_failed', 'actor');
    });
  });
});
