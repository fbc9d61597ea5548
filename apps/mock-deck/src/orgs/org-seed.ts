import { EntityManager } from 'typeorm';

import { Agent } from '../agents/agent.entity';
import { IdGenerator } from '../common/ids';
import { Source } from '../sources/source.entity';
import { Task } from '../tasks/task.entity';

/** The sources every new organisation starts with, so a client can store a credential at once. */
export const SEED_SOURCES = [
  { name: 'Example Bank', url: 'https://bank.example.com/login' },
  { name: 'Acme Utilities', url: 'https://acme-utilities.example.com/signin' },
  { name: 'Northwind Payroll', url: 'https://payroll.northwind.example.com/' },
] as const;

export const SEED_AGENT_NAME = 'Sandbox agent';
export const SEED_TASK_NAME = 'Verify login';

/**
 * Seeds a new organisation: three sources, an agent and a "verify login" task.
 * Seeded objects exist from the start, so no events are written for them.
 */
export async function seedOrganization(
  manager: EntityManager,
  ids: IdGenerator,
  orgId: string,
  now: string,
): Promise<void> {
  const stamp = { org_id: orgId, created_at: now, updated_at: now };
  await manager.insert(
    Source,
    SEED_SOURCES.map((s) => ({
      ...stamp,
      id: ids.newId('source'),
      name: s.name,
      type: 'website' as const,
      website_url: s.url,
      deleted_at: null,
    })),
  );
  const agentId = ids.newId('agent');
  await manager.insert(Agent, {
    ...stamp,
    id: agentId,
    name: SEED_AGENT_NAME,
    description: 'Runs the seeded verification task.',
    deleted_at: null,
  });
  await manager.insert(Task, {
    ...stamp,
    id: ids.newId('task'),
    name: SEED_TASK_NAME,
    prompt: 'Log in to the source with the credential and confirm the account page loads.',
    status: 'live',
    agent_id: agentId,
    input_schema: null,
    output_schema: null,
    storage: null,
    extraction: false,
    timeout_seconds: 1800,
    deleted_at: null,
  });
}
