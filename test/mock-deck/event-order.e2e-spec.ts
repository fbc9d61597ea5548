import type { DeckEvent, DeckList } from '@app/deck';
import { Transactor } from '@app/sqlite';

import { createCredential, runTask, seeded, waitForRun } from '../support/deck-fixtures';
import { deckClient, DeckClient, MockDeck, startMockDeck, waitFor } from '../support/mock-deck-app';

type EventList = DeckList<DeckEvent>;

describe('Event order (/v2/events newest first)', () => {
  let deck: MockDeck;
  let client: DeckClient;
  let sourceId: string;
  let taskId: string;

  beforeAll(async () => {
    deck = await startMockDeck();
  });

  afterAll(async () => {
    await deck.close();
  });

  beforeEach(async () => {
    client = deckClient(deck);
    ({ sourceId, taskId } = await seeded(client));
  });

  afterEach(() => {
    // A frozen clock belongs to the whole app: give the next test a running one.
    if (deck.clock.isFrozen()) {
      deck.clock.resume();
    }
  });

  async function allEvents(): Promise<DeckEvent[]> {
    const list = (await client.get('/v2/events?limit=100').expect(200)).body as EventList;
    expect(list.has_more).toBe(false);
    return list.data;
  }

  /** The same list read one small page at a time through `next_cursor`. */
  async function pagedEvents(limit: number): Promise<DeckEvent[]> {
    const events: DeckEvent[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page = (await client.get(`/v2/events?limit=${limit}${query}`).expect(200)).body as EventList;
      events.push(...page.data);
      cursor = page.next_cursor;
    } while (cursor);
    return events;
  }

  function expectNewestFirst(events: DeckEvent[]): void {
    const times = events.map((e) => e.created_at);
    expect(times).toEqual([...times].sort().reverse());
  }

  const indexOf = (events: DeckEvent[], type: string, objectId: string): number =>
    events.findIndex((e) => e.type === type && e.data.id === objectId);

  it('should stamp a step run as of its due time no earlier than an event committed before it', async () => {
    deck.clock.freeze();
    const credential = await createCredential(client, sourceId, 'user_good');
    const run = await runTask(client, taskId, { credential_id: credential.id });
    expect(run.status).toBe('queued');

    // Hold the database so a create is queued first, then let the run's steps fall due behind it.
    const transactor = deck.app.get(Transactor);
    const runSpy = jest.spyOn(transactor, 'run');
    let open: () => void = () => undefined;
    const held = transactor.exclusive(() => new Promise<void>((resolve) => (open = resolve)));
    const created = createCredential(client, sourceId, 'newcomer@example.com');
    try {
      await waitFor(
        () => Promise.resolve(runSpy.mock.calls.length > 0 ? true : undefined),
        5000,
        'the create to be queued',
      );
      deck.clock.advance(3_600_000);
    } finally {
      open();
      runSpy.mockRestore();
    }
    await held;
    const newcomer = await created;
    await waitForRun(client, run.id, (r) => r.status === 'completed');
    await deck.settle();

    const events = await allEvents();
    const newcomerAt = events[indexOf(events, 'credential.created', newcomer.id)].created_at;
    expect(newcomerAt).toBe(new Date(deck.clock.nowMs()).toISOString());
    const running = events[indexOf(events, 'task_run.running', run.id)];
    // The run itself keeps the time its step fell due; its event is listed where it was committed.
    expect(Date.parse(String(running.data.updated_at))).toBeLessThan(Date.parse(newcomerAt));
    expect(running.created_at >= newcomerAt).toBe(true);
    expect(indexOf(events, 'task_run.running', run.id)).toBeLessThan(
      indexOf(events, 'credential.created', newcomer.id),
    );
    expect(indexOf(events, 'task_run.completed', run.id)).toBeLessThan(indexOf(events, 'task_run.running', run.id));
    expectNewestFirst(events);
    expect((await pagedEvents(2)).map((e) => e.id)).toEqual(events.map((e) => e.id));
  });

  it('should page one newest-first order through cursors, starting_after and ending_before after a clock jump with concurrent writers', async () => {
    deck.clock.freeze();
    const credentials = await Promise.all(
      ['user_good', 'user_question', 'user_good'].map((name) => createCredential(client, sourceId, name)),
    );
    const runs = await Promise.all(credentials.map((c) => runTask(client, taskId, { credential_id: c.id })));
    const jump = client.post('/sandbox/clock/advance', { by: '5m' }).expect(200);
    const writers = Promise.all(
      Array.from({ length: 6 }, (_, i) => createCredential(client, sourceId, `writer${i}@example.com`)),
    );
    await Promise.all([jump, writers]);
    await waitForRun(client, runs[1].id, (r) => r.status === 'interaction_required');
    await client.post(`/v2/task-runs/${runs[1].id}/interaction`, { input: { answer: 'blue' } }).expect(200);
    deck.clock.resume();
    await Promise.all(runs.map((r) => waitForRun(client, r.id, (done) => done.status === 'completed')));
    await deck.settle();

    const events = await allEvents();
    expect(events.length).toBeGreaterThan(20);
    expectNewestFirst(events);
    expect((await pagedEvents(3)).map((e) => e.id)).toEqual(events.map((e) => e.id));
    // starting_after walks the same order.
    const afterThird = (await client.get(`/v2/events?limit=4&starting_after=${events[2].id}`).expect(200))
      .body as EventList;
    expect(afterThird.data.map((e) => e.id)).toEqual(events.slice(3, 7).map((e) => e.id));
    const beforeSeventh = (await client.get(`/v2/events?limit=4&ending_before=${events[6].id}`).expect(200))
      .body as EventList;
    expect(beforeSeventh.data.map((e) => e.id)).toEqual(events.slice(2, 6).map((e) => e.id));
  });
});
