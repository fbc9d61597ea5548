import type { DeckEvent, DeckList, DeckStorageItem, DeckTask, ScenarioView } from '@app/deck';

import { createCredential, runTask, seeded, waitForRun } from '../support/deck-fixtures';
import type { DeckClient } from '../support/mock-deck-app';
import type { ClassExceptions } from './hostile-inputs';

/** Nothing listens here: deliveries fail at once and wait for a retry the frozen clock never reaches. */
const DEAD_URL = 'http://127.0.0.1:9/hooks';

/** Sandbox bodies checked by other means than a DTO, so there are no documented fields to put hostile values in. */
export const SANDBOX_FREE_FORM_BODIES: Record<string, string> = {
  'POST /sandbox/scenarios': 'a scenario file (JSON or YAML) is checked against its own JSON Schema',
};

/** Sandbox routes an input class is not for, and why: what it would send is a documented, legal request there. */
export const SANDBOX_CLASS_EXCEPTIONS: ClassExceptions = {
  null_fields: {
    'PUT /sandbox/event-destinations/:destination_id/faults':
      'every fault documents null (like false) as the same as leaving it out: null is a legal value there',
  },
};

/** One real object of every kind a sandbox path names, keyed by the path parameter's name. */
export type SandboxIds = Record<string, string>;

/** Creates, in `client`'s organisation, an object for every path parameter of the sandbox's routes. */
export async function sandboxFixtures(client: DeckClient): Promise<SandboxIds> {
  const { sourceId, agentId } = await seeded(client);
  const destination = (
    await client
      .post('/v2/event-destinations', { name: 'Hostile inputs', events: ['*'], webhook: { url: DEAD_URL } })
      .expect(201)
  ).body as { id: string };
  const task = (
    await client
      .post('/v2/tasks', {
        name: 'Fetch statements',
        agent_id: agentId,
        storage: { enabled: true, extraction: true, extraction_schema: { type: 'object' } },
      })
      .expect(201)
  ).body as DeckTask;
  const credential = await createCredential(client, sourceId, 'user_good');
  const started = await runTask(client, task.id, { credential_id: credential.id });
  // A generous ceiling: several organisations' runs share a busy machine, and only the run's end matters here.
  const run = await waitForRun(
    client,
    started.id,
    (r) => ['completed', 'failed', 'canceled'].includes(r.status),
    30_000,
  );
  const storage = (await client.get(`/v2/task-runs/${run.id}/storage`).expect(200)).body as DeckList<DeckStorageItem>;
  const events = (await client.get('/v2/events?limit=1').expect(200)).body as DeckList<DeckEvent>;
  const deliveries = (await client.get(`/v2/event-destinations/${destination.id}/event-deliveries`).expect(200))
    .body as DeckList<{ id: string }>;
  const scenarios = (await client.get('/sandbox/scenarios').expect(200)).body as { data: ScenarioView[] };
  if (!storage.data[0] || !run.session_id || !events.data[0] || !deliveries.data[0] || !scenarios.data[0]) {
    throw new Error('The sandbox fixtures are incomplete (storage, session, event, delivery or scenario missing)');
  }
  return {
    agent_id: agentId,
    source_id: sourceId,
    credential_id: credential.id,
    task_id: task.id,
    run_id: run.id,
    storage_id: storage.data[0].id,
    session_id: run.session_id,
    event_id: events.data[0].id,
    destination_id: destination.id,
    delivery_id: deliveries.data[0].id,
    name: scenarios.data[0].name,
  };
}

/**
 * A valid body for each sandbox route that takes one, keyed `METHOD path`: hostile values replace one
 * field at a time, so a refusal is about that field. A new body route fails its tests until listed here.
 */
export function sandboxExampleBodies(ids: SandboxIds): Record<string, Record<string, unknown>> {
  return {
    'POST /v2/agents': { name: 'Hostile agent', description: 'made by a test' },
    'PATCH /v2/agents/:agent_id': { name: 'Renamed agent', description: 'changed' },
    'POST /v2/sources': { type: 'website', website: { url: 'https://example.com/login' }, name: 'Example' },
    'PATCH /v2/sources/:source_id': { name: 'Renamed', website: { url: 'https://example.com/in' } },
    'POST /v2/credentials': {
      source_id: ids.source_id,
      auth_method: 'username_password',
      auth_credentials: { username: 'user_good', password: 'pw', source_fields: { tenant: 't1' } },
      external_id: 'hostile',
    },
    'PATCH /v2/credentials/:credential_id': {
      auth_credentials: { username: 'user_good', password: 'pw2', source_fields: { tenant: 't2' } },
      external_id: 'hostile-2',
    },
    'POST /v2/tasks': {
      name: 'Hostile task',
      agent_id: ids.agent_id,
      prompt: 'Log in',
      storage: { enabled: true, extraction: true, extraction_prompt: 'Find totals' },
      settings: { timeout_seconds: 60 },
    },
    'PATCH /v2/tasks/:task_id': {
      name: 'Renamed task',
      agent_id: ids.agent_id,
      status: 'live',
      prompt: 'Log in again',
      storage: { enabled: true, extraction_prompt: 'Find totals' },
    },
    'POST /v2/tasks/:task_id/run': { credential_id: ids.credential_id, input: {}, request_id: 'trace-1' },
    'POST /v2/task-runs/:run_id/interaction': { input: { code: '123456' } },
    'POST /v2/event-destinations': {
      name: 'Another hook',
      type: 'webhook',
      events: ['credential.created'],
      webhook: {
        url: DEAD_URL,
        custom_headers: '{"x-a":"1"}',
        secret: 'whsec_aGVsbG8gd29ybGQgaGVsbG8gd29ybGQgaGVsbG8=',
      },
    },
    'PATCH /v2/event-destinations/:destination_id': {
      name: 'Renamed hook',
      status: 'active',
      events: ['credential.created'],
      webhook: { url: DEAD_URL, custom_headers: '{"x-a":"2"}' },
    },
    'PUT /sandbox/event-destinations/:destination_id/faults': { duplicate: 1, bad_signature: true },
    'POST /sandbox/trigger': { type: 'credential.invalid', credential_id: ids.credential_id, data: {} },
    'POST /sandbox/credentials/:credential_id/status': { status: 'invalid', after: '3d' },
    'POST /sandbox/task-runs/:run_id/review': { decision: 'approve' },
    'POST /sandbox/clock/advance': { by: '1h' },
    'PUT /sandbox/clock/scale': { scale: 2 },
    'POST /sandbox/scenarios/:name/run': { source_id: ids.source_id, task_id: ids.task_id, external_id: 'x' },
  };
}
