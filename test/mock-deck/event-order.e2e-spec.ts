import type { DeckEvent, DeckList } from '@app/deck';
import { Transactor } from '@app/sqlite';

import { createCredential, runTask, seeded, waitForRun } from '../support/deck-fixtures';
import { expectDeckError } from '../support/envelope';
import { deckClient, DeckClient, MockDeck, startMockDeck, waitFor } from '../support/mock-deck-app';
import { createWebhookDestination, putFaults, waitForAttempts } from '../support/sandbox-deliveries';
import { answerOk, WebhookReceiver } from '../support/webhook-receiver';

type EventList = DeckList<DeckEvent>;

describe('Event order (/v2/events newest first)', () => {
  let deck: MockDeck;
  let receiver: WebhookReceiver;
  let client: DeckClient;
  let sourceId: string;
  let taskId: string;

  beforeAll(async () => {
    deck = await startMockDeck();
    receiver = new WebhookReceiver();
    await receiver.start();
  });

  afterAll(async () => {
    receiver.release();
    await deck.close();
    await receiver.close();
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

  describe('the late_events fault', () => {
    it('should commit events behind the clock, below events already listed, each object still in order', async () => {
      deck.clock.freeze();
      const path = receiver.endpoint(answerOk);
      const destination = await createWebhookDestination(client, `${receiver.url}${path}`);
      const early = await createCredential(client, sourceId, 'early@example.com');
      expect((await putFaults(deck, client, destination.id, { late_events: 600 })).status).toBe(200);
      deck.clock.advance(60_000);
      const nowMs = deck.clock.nowMs();

      const late = await createCredential(client, sourceId, 'late@example.com');
      await client.delete(`/v2/credentials/${early.id}`).expect(200);

      const events = await allEvents();
      const earlyCreated = events[indexOf(events, 'credential.created', early.id)];
      const lateCreated = events[indexOf(events, 'credential.created', late.id)];
      const earlyDeleted = events[indexOf(events, 'credential.deleted', early.id)];
      expect(lateCreated.created_at).toBe(new Date(nowMs - 600_000).toISOString());
      expect(lateCreated.created_at < earlyCreated.created_at).toBe(true);
      expect(indexOf(events, 'credential.created', late.id)).toBeGreaterThan(
        indexOf(events, 'credential.created', early.id),
      );
      // Late, but not before the same credential's own earlier event.
      expect(earlyDeleted.created_at).toBe(earlyCreated.created_at);
      expect(indexOf(events, 'credential.deleted', early.id)).toBeLessThan(
        indexOf(events, 'credential.created', early.id),
      );
      expectNewestFirst(events);
      expect((await pagedEvents(1)).map((e) => e.id)).toEqual(events.map((e) => e.id));

      const attempts = await waitForAttempts(client, destination.id, 2);
      expect(attempts.map((a) => [a.event_id, a.faults])).toEqual([
        [earlyCreated.id, []],
        [lateCreated.id, ['late_events']],
      ]);
    });

    it('should be monotonic again once the fault is cleared', async () => {
      deck.clock.freeze();
      const destination = await createWebhookDestination(client, `${receiver.url}${receiver.endpoint(answerOk)}`);
      const first = await createCredential(client, sourceId, 'first@example.com');
      expect((await putFaults(deck, client, destination.id, { late_events: 3600 })).status).toBe(200);
      const late = await createCredential(client, sourceId, 'behind@example.com');
      await client.delete(`/sandbox/event-destinations/${destination.id}/faults`).expect(200);
      deck.clock.advance(1000);
      const next = await createCredential(client, sourceId, 'next@example.com');

      const events = await allEvents();
      expect(events[0].data.id).toBe(next.id);
      expect(events[0].created_at).toBe(new Date(deck.clock.nowMs()).toISOString());
      const lateAt = events[indexOf(events, 'credential.created', late.id)].created_at;
      const firstAt = events[indexOf(events, 'credential.created', first.id)].created_at;
      expect(lateAt < firstAt).toBe(true);
      expectNewestFirst(events);
      const attempts = await waitForAttempts(client, destination.id, 3);
      expect(attempts.find((a) => a.event_id === events[0].id)?.faults).toEqual([]);
    });

    it('should refuse a lateness that is not a whole number of seconds from 1 to 3600', async () => {
      const destination = await createWebhookDestination(client, `${receiver.url}${receiver.endpoint(answerOk)}`);
      for (const late_events of [0, 3601, 1.5, '600', true]) {
        expectDeckError(
          await putFaults(deck, client, destination.id, { late_events }),
          400,
          'input_invalid',
          'late_events',
        );
      }
      const shown = await client.get(`/sandbox/event-destinations/${destination.id}/faults`).expect(200);
      expect((shown.body as { faults: unknown }).faults).toBeNull();
    });
  });
});
