import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';

import type { DeckCredential, DeckEvent, DeckList, DeckTaskRun, ScenarioView } from '@app/deck';

import { createCredential, eventTypes, runTask, seeded } from '../support/deck-fixtures';
import { expectDeckError } from '../support/envelope';
import { deckClient, DeckClient, MockDeck, startMockDeck } from '../support/mock-deck-app';

const DAY = 24 * 60 * 60 * 1000;

const BREAKS_LATER = `
name: breaks_later
description: Verifies, then the password changes at the source three days later.
runs:
  - steps:
      - wait: 1s
      - complete: { result: success }
credential:
  breaks_after: 3d
`;

describe('Sandbox control plane (/sandbox)', () => {
  let deck: MockDeck;
  let client: DeckClient;
  let sourceId: string;
  let taskId: string;

  beforeAll(async () => {
    deck = await startMockDeck({ MOCK_DECK_STEP_MS: '1000' });
    deck.clock.freeze();
  });

  afterAll(async () => {
    await deck.close();
  });

  beforeEach(async () => {
    client = deckClient(deck);
    ({ sourceId, taskId } = await seeded(client));
  });

  /** Moves the frozen clock through the control plane, which answers once due work has run. */
  async function advance(by: string): Promise<void> {
    await client.post('/sandbox/clock/advance', { by }).expect(200);
  }

  async function getRun(id: string): Promise<DeckTaskRun> {
    return (await client.get(`/v2/task-runs/${id}`).expect(200)).body as DeckTaskRun;
  }

  async function credentialStatus(id: string): Promise<string> {
    return ((await client.get(`/v2/credentials/${id}`).expect(200)).body as DeckCredential).status;
  }

  it('should need the API key like /v2 and be documented in OpenAPI', async () => {
    expectDeckError(await request(deck.url).post('/sandbox/reset'), 401, 'api_key_invalid');
    const doc = (await request(deck.url).get('/docs/openapi.json').expect(200)).body as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/sandbox/reset',
        '/sandbox/trigger',
        '/sandbox/clock/advance',
        '/sandbox/scenarios',
        '/sandbox/scenarios/{name}/run',
        '/sandbox/credentials/{credential_id}/status',
        '/sandbox/task-runs/{run_id}/review',
      ]),
    );
  });

  describe('POST /sandbox/reset', () => {
    it('should wipe the organisation back to fresh seed data and leave other organisations alone', async () => {
      const other = deckClient(deck);
      const otherSeed = await seeded(other);
      const otherCredential = await createCredential(other, otherSeed.sourceId, 'user_good');
      await createCredential(client, sourceId, 'user_good');
      await client.post('/sandbox/scenarios').set('Content-Type', 'application/yaml').send(BREAKS_LATER).expect(201);

      const res = await client.post('/sandbox/reset').expect(200);
      expect(res.body).toMatchObject({ object: 'sandbox_reset', deleted: expect.objectContaining({ credentials: 1 }) });

      expect(((await client.get('/v2/credentials').expect(200)).body as DeckList<unknown>).data).toEqual([]);
      expect(((await client.get('/v2/events').expect(200)).body as DeckList<unknown>).data).toEqual([]);
      const fresh = await seeded(client);
      expect(fresh.sourceId).not.toBe(sourceId);
      const names = ((await client.get('/sandbox/scenarios').expect(200)).body as { data: ScenarioView[] }).data;
      expect(names.map((s) => s.name)).not.toContain('breaks_later');
      await other.get(`/v2/credentials/${otherCredential.id}`).expect(200);
    });
  });

  describe('/sandbox/clock', () => {
    it('should show, advance, resume and scale the sandbox clock', async () => {
      const before = (await client.get('/sandbox/clock').expect(200)).body as {
        now: string;
        frozen: boolean;
        scale: number;
      };
      expect(before).toMatchObject({ object: 'sandbox_clock', frozen: true, scale: 1 });
      const after = (await client.post('/sandbox/clock/advance', { by: '1h30m' }).expect(200)).body as { now: string };
      expect(Date.parse(after.now) - Date.parse(before.now)).toBe(90 * 60 * 1000);

      await client.put('/sandbox/clock/scale', { scale: 60 }).expect(200);
      const resumed = (await client.post('/sandbox/clock/resume').expect(200)).body as {
        frozen: boolean;
        scale: number;
      };
      expect(resumed).toMatchObject({ frozen: false, scale: 60 });
      const frozen = (await client.post('/sandbox/clock/freeze').expect(200)).body as { frozen: boolean };
      expect(frozen.frozen).toBe(true);
      await client.put('/sandbox/clock/scale', { scale: 1 }).expect(200);

      expectDeckError(await client.post('/sandbox/clock/advance', { by: 'soon' }), 400, 'input_invalid', 'by');
      expectDeckError(await client.post('/sandbox/clock/advance', {}), 400, 'input_missing', 'by');
      expectDeckError(await client.put('/sandbox/clock/scale', { scale: 0 }), 400, 'input_invalid', 'scale');
    });

    it('should run everything that falls due while it jumps: a prompt window closes', async () => {
      const credential = await createCredential(client, sourceId, 'user_mfa');
      const run = await runTask(client, taskId, { credential_id: credential.id });
      await advance('2s');
      expect((await getRun(run.id)).status).toBe('interaction_required');
      await advance('10m');
      const failed = await getRun(run.id);
      expect(failed.status).toBe('failed');
      expect(failed.errors[0].code).toBe('interaction_timeout');
    });
  });

  describe('/sandbox/scenarios', () => {
    it('should list the built-in catalogue and show one scenario', async () => {
      const list = (await client.get('/sandbox/scenarios').expect(200)).body as { data: ScenarioView[] };
      expect(list.data.map((s) => s.name)).toEqual(
        expect.arrayContaining(['user_good', 'user_bad', 'user_mfa', 'user_locked', 'user_review']),
      );
      expect(list.data.every((s) => s.origin === 'built-in' || s.origin === 'folder')).toBe(true);
      const mfa = (await client.get('/sandbox/scenarios/user_mfa').expect(200)).body as ScenarioView;
      expect(mfa).toMatchObject({ object: 'scenario', name: 'user_mfa', origin: 'built-in' });
      expect(mfa.spec.runs).toHaveLength(1);
      expectDeckError(await client.get('/sandbox/scenarios/nope'), 404, 'scenario_not_found');
    });

    it('should take a YAML upload that a credential then follows, and break the credential later', async () => {
      const res = await client.post('/sandbox/scenarios').set('Content-Type', 'application/yaml').send(BREAKS_LATER);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ name: 'breaks_later', origin: 'uploaded' });

      const credential = await createCredential(client, sourceId, 'breaks_later@example.com');
      const run = await runTask(client, taskId, { credential_id: credential.id });
      await advance('2s');
      expect((await getRun(run.id)).status).toBe('completed');
      expect(await credentialStatus(credential.id)).toBe('verified');

      await advance('2d');
      expect(await credentialStatus(credential.id)).toBe('verified');
      await advance('1d');
      expect(await credentialStatus(credential.id)).toBe('invalid');
      expect(await eventTypes(client, (d) => d.id === credential.id)).toEqual([
        'credential.created',
        'credential.verified',
        'credential.invalid',
      ]);
    });

    it('should take a JSON upload, replace a scenario of the same name, and keep uploads to the organisation', async () => {
      const spec = {
        name: 'json_fail',
        runs: [{ steps: [{ fail: { error: { type: 'source', code: 'source_error', message: 'Down.' } } }] }],
      };
      await client.post('/sandbox/scenarios', spec).expect(201);
      const replaced = { ...spec, description: 'second version' };
      await client.post('/sandbox/scenarios', replaced).expect(201);
      const list = (await client.get('/sandbox/scenarios').expect(200)).body as { data: ScenarioView[] };
      expect(list.data.filter((s) => s.name === 'json_fail')).toEqual([
        expect.objectContaining({ origin: 'uploaded', description: 'second version' }),
      ]);
      expectDeckError(await deckClient(deck).get('/sandbox/scenarios/json_fail'), 404, 'scenario_not_found');

      await client.delete('/sandbox/scenarios/json_fail').expect(200);
      expectDeckError(await client.get('/sandbox/scenarios/json_fail'), 404, 'scenario_not_found');
      expectDeckError(await client.delete('/sandbox/scenarios/user_good'), 404, 'scenario_not_found');
    });

    it('should let an upload shadow a built-in for this organisation only', async () => {
      await client
        .post('/sandbox/scenarios', {
          name: 'user_good',
          runs: [
            {
              steps: [
                { fail: { error: { type: 'auth', code: 'auth_invalid', message: 'No.' }, credential: 'invalid' } },
              ],
            },
          ],
        })
        .expect(201);
      const credential = await createCredential(client, sourceId, 'user_good');
      const run = await runTask(client, taskId, { credential_id: credential.id });
      await advance('2s');
      expect((await getRun(run.id)).errors[0]?.code).toBe('auth_invalid');

      const other = deckClient(deck);
      const otherSeed = await seeded(other);
      const good = await createCredential(other, otherSeed.sourceId, 'user_good');
      const otherRun = await runTask(other, otherSeed.taskId, { credential_id: good.id });
      await advance('3s');
      expect(((await other.get(`/v2/task-runs/${otherRun.id}`).expect(200)).body as DeckTaskRun).status).toBe(
        'completed',
      );
    });

    it('should refuse a bad file with every problem listed by path', async () => {
      const res = await client
        .post('/sandbox/scenarios')
        .set('Content-Type', 'application/yaml')
        .send(
          'name: Not Valid\nruns:\n  - steps:\n      - wait: soon\n      - interaction: { type: mfa, fields: [] }\n',
        );
      const body = expectDeckError(res, 400, 'input_invalid');
      expect(body.errors.map((e) => e.field)).toEqual(
        expect.arrayContaining([
          'name',
          'runs[0].steps[0].wait',
          'runs[0].steps[1].interaction.message',
          'runs[0].steps[1].interaction.fields',
        ]),
      );
      expect(body.errors.find((e) => e.field === 'runs[0].steps[1].interaction.message')?.code).toBe('input_missing');
      expectDeckError(
        await client.post('/sandbox/scenarios').set('Content-Type', 'application/yaml').send('name: [broken'),
        400,
        'input_invalid',
        '(root)',
      );
      expectDeckError(
        await client.post('/sandbox/scenarios').set('Content-Type', 'application/json').send('[1]'),
        400,
        'body_invalid',
      );
    });

    it('should play a scenario: a credential named after it and a verification run', async () => {
      const res = await client.post('/sandbox/scenarios/user_mfa/run', { external_id: 'qa-1' }).expect(201);
      expect(res.body).toMatchObject({
        object: 'scenario_run',
        scenario: 'user_mfa',
        credential: { status: 'unverified', external_id: 'qa-1', auth_credentials: { username: 'user_mfa' } },
        task_run: { status: 'queued', task_id: taskId },
      });
      await advance('2s');
      expect((await getRun((res.body as { task_run: DeckTaskRun }).task_run.id)).status).toBe('interaction_required');
      expectDeckError(await client.post('/sandbox/scenarios/nope/run', {}), 404, 'scenario_not_found');
    });
  });

  describe('POST /sandbox/scenarios/:name/run with faults', () => {
    it("should put the scenario's delivery faults on the organisation's webhook destinations", async () => {
      await client
        .post('/sandbox/scenarios', {
          name: 'flaky_receiver',
          runs: [{ steps: [{ complete: { result: 'success' } }] }],
          faults: { duplicate: 2, drop_first: 1 },
        })
        .expect(201);
      const destination = (
        await client
          .post('/v2/event-destinations', { name: 'qa', events: ['*'], webhook: { url: 'http://127.0.0.1:9/hook' } })
          .expect(201)
      ).body as { id: string };
      await client.post('/sandbox/scenarios/flaky_receiver/run', {}).expect(201);
      const faults = (await client.get(`/sandbox/event-destinations/${destination.id}/faults`).expect(200)).body as {
        faults: Record<string, unknown>;
      };
      expect(faults.faults).toEqual({ duplicate: 2, drop_first: 1 });
    });
  });

  describe('POST /sandbox/trigger', () => {
    it('should send an event for a chosen object with a custom payload, changing nothing else', async () => {
      const credential = await createCredential(client, sourceId, 'user_good', { external_id: 'ext-9' });
      const res = await client
        .post('/sandbox/trigger', {
          type: 'credential.invalid',
          credential_id: credential.id,
          data: { status: 'invalid', note: 'qa' },
        })
        .expect(201);
      const event = res.body as DeckEvent;
      expect(event).toMatchObject({
        id: expect.stringMatching(/^evt_/),
        object: 'event',
        type: 'credential.invalid',
        data: { id: credential.id, object: 'credential', external_id: 'ext-9', status: 'invalid', note: 'qa' },
      });
      await client.get(`/v2/events/${event.id}`).expect(200);
      expect(await credentialStatus(credential.id)).toBe('unverified');
    });

    it("should default to the organisation's newest object of the event's kind", async () => {
      const credential = await createCredential(client, sourceId, 'user_good');
      const run = await runTask(client, taskId, { credential_id: credential.id });
      const res = await client.post('/sandbox/trigger', { type: 'task_run.failed' }).expect(201);
      expect((res.body as DeckEvent).data).toMatchObject({ id: run.id, object: 'task_run' });
      expect((res.body as DeckEvent).data).not.toHaveProperty('output');
    });

    it('should refuse unknown types, objects of the wrong kind and unknown ids', async () => {
      const credential = await createCredential(client, sourceId, 'user_good');
      expectDeckError(
        await client.post('/sandbox/trigger', { type: 'credential.exploded' }),
        400,
        'input_invalid',
        'type',
      );
      expectDeckError(
        await client.post('/sandbox/trigger', { type: 'task_run.failed', object_id: credential.id }),
        400,
        'input_invalid',
        'object_id',
      );
      expectDeckError(
        await client.post('/sandbox/trigger', { type: 'credential.verified', credential_id: 'cred_missing' }),
        400,
        'input_invalid',
        'credential_id',
      );
      expectDeckError(
        await client.post('/sandbox/trigger', { type: 'storage.created' }),
        400,
        'input_missing',
        'object_id',
      );
      expectDeckError(
        await client.post('/sandbox/trigger', { type: 'credential.created', data: 'x' }),
        400,
        'input_invalid',
        'data',
      );
    });
  });

  describe('POST /sandbox/credentials/:id/status', () => {
    it('should force a status now, with its event', async () => {
      const credential = await createCredential(client, sourceId, 'user_good');
      const res = await client.post(`/sandbox/credentials/${credential.id}/status`, { status: 'verified' }).expect(200);
      expect(res.body).toMatchObject({ credential: { status: 'verified' }, scheduled: null });
      expect(await eventTypes(client, (d) => d.id === credential.id)).toEqual([
        'credential.created',
        'credential.verified',
      ]);
    });

    it('should plan a status for later: a good credential that breaks in three days', async () => {
      const credential = await createCredential(client, sourceId, 'user_good');
      await client.post(`/sandbox/credentials/${credential.id}/status`, { status: 'verified' }).expect(200);
      const res = await client
        .post(`/sandbox/credentials/${credential.id}/status`, { status: 'invalid', after: '3d' })
        .expect(200);
      const clock = (await client.get('/sandbox/clock').expect(200)).body as { now: string };
      expect(res.body).toMatchObject({
        credential: { status: 'verified' },
        scheduled: { status: 'invalid', at: new Date(Date.parse(clock.now) + 3 * DAY).toISOString() },
      });
      await advance('71h');
      expect(await credentialStatus(credential.id)).toBe('verified');
      await advance('1h');
      expect(await credentialStatus(credential.id)).toBe('invalid');
    });

    it('should refuse bad statuses, bad delays, deleted credentials and unknown ids', async () => {
      const credential = await createCredential(client, sourceId, 'user_good');
      expectDeckError(
        await client.post(`/sandbox/credentials/${credential.id}/status`, { status: 'deleted' }),
        400,
        'input_invalid',
        'status',
      );
      expectDeckError(
        await client.post(`/sandbox/credentials/${credential.id}/status`, { status: 'invalid', after: 'later' }),
        400,
        'input_invalid',
        'after',
      );
      await client.delete(`/v2/credentials/${credential.id}`).expect(200);
      expectDeckError(
        await client.post(`/sandbox/credentials/${credential.id}/status`, { status: 'invalid' }),
        409,
        'invalid_state',
      );
      expectDeckError(
        await client.post('/sandbox/credentials/cred_missing/status', { status: 'invalid' }),
        404,
        'credential_not_found',
      );
    });
  });

  describe('POST /sandbox/task-runs/:id/review', () => {
    async function runInReview(): Promise<{ credential: DeckCredential; run: DeckTaskRun }> {
      const credential = await createCredential(client, sourceId, 'user_review');
      const run = await runTask(client, taskId, { credential_id: credential.id });
      await advance('3s');
      expect((await getRun(run.id)).status).toBe('review_required');
      return { credential, run };
    }

    it('should complete an approved run and verify its credential', async () => {
      const { credential, run } = await runInReview();
      const res = await client.post(`/sandbox/task-runs/${run.id}/review`, { decision: 'approve' }).expect(200);
      expect(res.body).toMatchObject({ status: 'completed', result: 'success' });
      expect(await credentialStatus(credential.id)).toBe('verified');
    });

    it('should fail a rejected run with review_rejected', async () => {
      const { credential, run } = await runInReview();
      const res = await client.post(`/sandbox/task-runs/${run.id}/review`, { decision: 'reject' }).expect(200);
      expect(res.body).toMatchObject({
        status: 'failed',
        result: 'failure',
        errors: [{ type: 'task', code: 'review_rejected', message: 'The run was rejected in review.' }],
      });
      expect(await credentialStatus(credential.id)).toBe('unverified');
      expectDeckError(
        await client.post(`/sandbox/task-runs/${run.id}/review`, { decision: 'approve' }),
        409,
        'invalid_state',
      );
      expectDeckError(
        await client.post(`/sandbox/task-runs/${run.id}/review`, { decision: 'maybe' }),
        400,
        'input_invalid',
        'decision',
      );
    });
  });
});

describe('Scenario folder (MOCK_DECK_SCENARIOS_DIR)', () => {
  it('should load good files for every organisation and refuse bad ones without stopping', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scenarios-'));
    writeFileSync(
      join(dir, 'folder_source.yml'),
      'name: folder_source\nruns:\n  - steps:\n      - complete: { result: unknown }\n',
    );
    writeFileSync(join(dir, 'broken.yaml'), 'name: broken\nruns: []\n');
    writeFileSync(join(dir, 'notes.txt'), 'not a scenario');
    const deck = await startMockDeck({ MOCK_DECK_SCENARIOS_DIR: dir });
    try {
      for (const client of [deckClient(deck), deckClient(deck)]) {
        const list = (await client.get('/sandbox/scenarios').expect(200)).body as { data: ScenarioView[] };
        expect(list.data.find((s) => s.name === 'folder_source')).toMatchObject({ origin: 'folder' });
        expect(list.data.map((s) => s.name)).not.toContain('broken');
      }
    } finally {
      await deck.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
