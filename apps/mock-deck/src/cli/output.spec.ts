import type { DeckEvent, DeckTaskRun, SandboxDeliveryAttempt } from '@app/deck';

import { formatAttempt, formatClock, formatRunChange, formatRunOutcome, formatTable, streamOutput } from './output';

const ATTEMPT: SandboxDeliveryAttempt = {
  object: 'delivery_attempt',
  id: 'datt_1',
  seq: 7,
  delivery_id: 'edlv_1',
  event_id: 'evt_1',
  event_type: 'credential.created',
  event_destination_id: 'evtd_1',
  number: 2,
  sent_at: '2026-01-02T03:04:05.678Z',
  webhook_timestamp: 1767323045,
  status_code: 200,
  latency_ms: 12,
  response_excerpt: 'ok',
  error: null,
  outcome: 'success',
  faults: [],
  redelivery: false,
};

function runEvent(type: DeckEvent['type'], run: Partial<DeckTaskRun>): DeckEvent<DeckTaskRun> {
  return {
    id: 'evt_x',
    object: 'event',
    type,
    created_at: '2026-01-02T03:04:05.000Z',
    data: { id: 'trun_1', errors: [], interaction: null, ...run } as DeckTaskRun,
  };
}

describe('formatAttempt', () => {
  it('should show time, type, event, destination, number, outcome, status, latency and faults', () => {
    expect(formatAttempt(ATTEMPT)).toBe(
      '2026-01-02T03:04:05.678Z  credential.created             evt_1  → evtd_1  #2  success  200     12 ms  faults: none',
    );
  });

  it('should show a missing status, the faults, a redelivery and the error', () => {
    const line = formatAttempt({
      ...ATTEMPT,
      status_code: null,
      outcome: 'failure',
      faults: ['drop_first', 'duplicate'],
      redelivery: true,
      error: 'dropped by fault',
    });
    expect(line).toContain('  failure  ---  ');
    expect(line).toMatch(/faults: drop_first,duplicate {2}\(redelivery\) {2}error: dropped by fault$/);
  });

  it('should line up attempts of event types of different lengths', () => {
    const long = formatAttempt({ ...ATTEMPT, event_type: 'event_destination.deactivated' });
    expect(long.indexOf('evt_1')).toBe(formatAttempt(ATTEMPT).indexOf('evt_1'));
  });
});

describe('formatRunChange', () => {
  it('should show what a waiting run asks for and how to answer', () => {
    const lines = formatRunChange(
      runEvent('task_run.interaction_required', {
        status: 'interaction_required',
        interaction: {
          type: 'mfa',
          message: 'Enter the code.',
          fields: [{ name: 'code', type: 'string', label: 'Code' }],
        },
      }),
    );
    expect(lines).toEqual([
      '2026-01-02T03:04:05.000Z  interaction_required',
      '    mfa: Enter the code.',
      '    fields: code (string, "Code")',
      '    answer: POST /v2/task-runs/trun_1/interaction {"input":{"code":"…"}}',
    ]);
  });

  it('should show why a run failed', () => {
    const lines = formatRunChange(
      runEvent('task_run.failed', {
        status: 'failed',
        errors: [{ type: 'auth', code: 'auth_invalid', message: 'Bad password.' }],
      }),
    );
    expect(lines).toEqual(['2026-01-02T03:04:05.000Z  failed', '    auth auth_invalid: Bad password.']);
  });

  it('should point a run in review at the review command', () => {
    expect(formatRunChange(runEvent('task_run.review_required', { status: 'review_required' }))[1]).toBe(
      '    decide: npm run sandbox -- review trun_1 approve|reject',
    );
  });
});

describe('other formats', () => {
  it('should describe the clock', () => {
    expect(formatClock({ object: 'sandbox_clock', now: '2026-01-01T00:00:00.000Z', frozen: true, scale: 60 })).toBe(
      'sandbox time 2026-01-01T00:00:00.000Z (frozen, scale 60)',
    );
  });

  it('should show a finished run with its result and output', () => {
    expect(
      formatRunOutcome({ id: 'trun_1', status: 'completed', result: 'success', output: { a: 1 } } as DeckTaskRun),
    ).toEqual(['run trun_1 completed (result success)', '    output: {"a":1}']);
  });

  it('should pad every column but the last', () => {
    expect(
      formatTable([
        ['user_good', 'built-in', 'Logs in.'],
        ['mine', 'uploaded', ''],
      ]),
    ).toEqual(['user_good  built-in  Logs in.', 'mine       uploaded']);
  });

  it('should keep results on stdout and notes on stderr, JSON pretty or one line', () => {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const out = streamOutput(
      (t) => stdout.push(t),
      (t) => stderr.push(t),
    );
    out.line('result');
    out.note('progress');
    out.json({ a: 1 });
    out.json({ b: 2 }, true);
    expect(stdout).toEqual(['result\n', '{\n  "a": 1\n}\n', '{"b":2}\n']);
    expect(stderr).toEqual(['progress\n']);
  });
});
