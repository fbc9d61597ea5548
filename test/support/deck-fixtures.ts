import type { DeckCredential, DeckList, DeckSource, DeckTask, DeckTaskRun } from '@app/deck';

import { DeckClient, waitFor } from './mock-deck-app';

/** The organisation's seeded sources, agent and "Verify login" task. */
export async function seeded(client: DeckClient): Promise<{ sourceId: string; taskId: string; agentId: string }> {
  const sources = (await client.get('/v2/sources').expect(200)).body as DeckList<DeckSource>;
  const tasks = (await client.get('/v2/tasks').expect(200)).body as DeckList<DeckTask>;
  const task = tasks.data.find((t) => t.name === 'Verify login');
  if (!task || sources.data.length === 0) {
    throw new Error('The organisation was not seeded');
  }
  return { sourceId: sources.data[0].id, taskId: task.id, agentId: task.agent_id };
}

/** Stores a username/password credential whose username picks the sandbox script. */
export async function createCredential(
  client: DeckClient,
  sourceId: string,
  username: string,
  extra: Record<string, unknown> = {},
): Promise<DeckCredential> {
  const res = await client
    .post('/v2/credentials', {
      source_id: sourceId,
      auth_method: 'username_password',
      auth_credentials: { username, password: 'correct horse battery staple' },
      ...extra,
    })
    .expect(201);
  return res.body as DeckCredential;
}

export async function runTask(client: DeckClient, taskId: string, body: Record<string, unknown>): Promise<DeckTaskRun> {
  return (await client.post(`/v2/tasks/${taskId}/run`, body).expect(201)).body as DeckTaskRun;
}

/** Polls a run until `accept` is true of it. */
export function waitForRun(
  client: DeckClient,
  runId: string,
  accept: (run: DeckTaskRun) => boolean,
  timeoutMs = 5000,
): Promise<DeckTaskRun> {
  return waitFor(
    async () => {
      const run = (await client.get(`/v2/task-runs/${runId}`).expect(200)).body as DeckTaskRun;
      return accept(run) ? run : undefined;
    },
    timeoutMs,
    `run ${runId}`,
  );
}

/** Event types recorded in the organisation, oldest first. */
export async function eventTypes(client: DeckClient, objectFilter?: (data: Record<string, unknown>) => boolean) {
  const res = await client.get('/v2/events?limit=100').expect(200);
  const events = (res.body as DeckList<{ type: string; data: Record<string, unknown> }>).data.reverse();
  return events.filter((e) => !objectFilter || objectFilter(e.data)).map((e) => e.type);
}
