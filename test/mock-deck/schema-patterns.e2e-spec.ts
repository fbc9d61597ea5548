import type { DeckTask, DeckTaskRun } from '@app/deck';

import { createCredential, seeded } from '../support/deck-fixtures';
import { expectDeckError } from '../support/envelope';
import { deckClient, DeckClient, MockDeck, startMockDeck } from '../support/mock-deck-app';

/** Backtracking engines take seconds on this input against `^(a+)+$`: 28 `a`s that do not end the string. */
const EVIL_INPUT = `${'a'.repeat(28)}!`;

describe('Patterns in task schemas', () => {
  let deck: MockDeck;
  let client: DeckClient;
  let agentId: string;
  let sourceId: string;

  beforeAll(async () => {
    deck = await startMockDeck();
  });

  afterAll(async () => {
    await deck.close();
  });

  beforeEach(async () => {
    client = deckClient(deck);
    ({ agentId, sourceId } = await seeded(client));
  });

  const schemaWith = (property: Record<string, unknown>) => ({
    type: 'object',
    properties: { name: { type: 'string', ...property } },
    required: ['name'],
  });

  function createTask(input_schema: unknown) {
    return client.post('/v2/tasks', { name: 'Patterned task', agent_id: agentId, input_schema });
  }

  it('should match a nested-quantifier pattern against a long near-miss with the right verdict', async () => {
    const task = (await createTask(schemaWith({ pattern: '^(a+)+$' })).expect(201)).body as DeckTask;
    const credential = await createCredential(client, sourceId, 'user_good');
    const run = (name: string) =>
      client.post(`/v2/tasks/${task.id}/run`, { credential_id: credential.id, input: { name } });

    const body = expectDeckError(await run(EVIL_INPUT), 400, 'input_invalid', 'input.name');
    expect(body.errors[0].message).toContain('must match pattern "^(a+)+$"');

    const accepted = (await run('aaaa').expect(201)).body as DeckTaskRun;
    expect(accepted.task_id).toBe(task.id);
  });

  it('should keep ECMAScript meaning for ordinary patterns: classes, anchors, unicode, named groups', async () => {
    const task = (
      await createTask({
        type: 'object',
        properties: {
          code: { type: 'string', pattern: '^\\d{3}-[A-Z]{2}$' },
          word: { type: 'string', pattern: '^\\p{L}+$' },
          tag: { type: 'string', pattern: '(?<kind>ab)c' },
        },
        patternProperties: { '^x-': { type: 'integer' } },
      }).expect(201)
    ).body as DeckTask;
    const credential = await createCredential(client, sourceId, 'user_good');
    const run = (input: Record<string, unknown>) =>
      client.post(`/v2/tasks/${task.id}/run`, { credential_id: credential.id, input });

    await run({ code: '123-AB', word: 'café', tag: 'xxabcxx', 'x-count': 3 }).expect(201);
    expectDeckError(await run({ code: '123-ab' }), 400, 'input_invalid', 'input.code');
    expectDeckError(await run({ word: 'caf3' }), 400, 'input_invalid', 'input.word');
    expectDeckError(await run({ tag: 'abd' }), 400, 'input_invalid', 'input.tag');
    expectDeckError(await run({ 'x-count': 'three' }), 400, 'input_invalid', 'input.x-count');
  });

  it.each([
    ['a backreference', { pattern: '^(a)\\1$' }],
    ['a lookahead', { pattern: '^(?=a)a+$' }],
    ['a lookbehind', { pattern: '(?<=a)b' }],
    ['an ECMAScript syntax error', { pattern: '(unclosed' }],
    ['an RE2-only inline flag', { pattern: '(?i)abc' }],
  ])('should refuse %s at task creation with 400 in the envelope', async (_what, property) => {
    const res = await createTask(schemaWith(property));
    const body = expectDeckError(res, 400, 'input_invalid', 'input_schema');
    expect(body.errors).toHaveLength(1);
  });

  it('should refuse an unsupported pattern under patternProperties, in output_schema and on update', async () => {
    expectDeckError(
      await createTask({ type: 'object', patternProperties: { '(?!x)': { type: 'string' } } }),
      400,
      'input_invalid',
      'input_schema',
    );
    const output = await client.post('/v2/tasks', {
      name: 'Output pattern',
      agent_id: agentId,
      output_schema: schemaWith({ pattern: '(a)\\1' }),
    });
    expectDeckError(output, 400, 'input_invalid', 'output_schema');

    const task = (await createTask(schemaWith({ pattern: '^a+$' })).expect(201)).body as DeckTask;
    expectDeckError(
      await client.patch(`/v2/tasks/${task.id}`, { input_schema: schemaWith({ pattern: '(?<=a)b' }) }),
      400,
      'input_invalid',
      'input_schema',
    );
    const stored = (await client.get(`/v2/tasks/${task.id}`).expect(200)).body as DeckTask;
    expect(stored.input_schema).toEqual(schemaWith({ pattern: '^a+$' }));
  });
});
