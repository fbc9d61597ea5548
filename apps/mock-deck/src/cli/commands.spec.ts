import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { parseClock } from './clock.command';
import { parseCredential } from './credential.command';
import { parseDeliveries } from './deliveries.command';
import { UsageError } from './errors';
import { formatFaults, parseFaults } from './faults.command';
import { formatReset } from './reset.command';
import { parseScenario } from './scenario.command';
import { parseTrigger } from './trigger.command';

describe('clock', () => {
  it('should show by default and read each action', () => {
    expect(parseClock([])).toEqual({ action: 'show' });
    expect(parseClock(['freeze'])).toEqual({ action: 'freeze' });
    expect(parseClock(['advance', '3d'])).toEqual({ action: 'advance', by: '3d' });
    expect(parseClock(['advance', '1500'])).toEqual({ action: 'advance', by: '1500ms' });
    expect(parseClock(['scale', '60'])).toEqual({ action: 'scale', scale: 60 });
  });

  it('should refuse a missing or bad duration and unknown actions', () => {
    expect(() => parseClock(['advance'])).toThrow('missing <duration>');
    expect(() => parseClock(['advance', 'soon'])).toThrow('clock advance: "soon" is not a duration');
    expect(() => parseClock(['rewind'])).toThrow('unknown clock action "rewind"');
    expect(() => parseClock(['freeze', 'now'])).toThrow('unexpected argument "now"');
  });
});

describe('trigger', () => {
  it('should build the body the sandbox takes', () => {
    expect(parseTrigger(['credential.invalid'], { credential: 'cred_1', data: '{"external_id":"user_42"}' })).toEqual({
      type: 'credential.invalid',
      credential_id: 'cred_1',
      data: { external_id: 'user_42' },
    });
    expect(parseTrigger(['task_run.completed'], { object: 'trun_1' })).toEqual({
      type: 'task_run.completed',
      object_id: 'trun_1',
    });
    expect(parseTrigger(['agent.updated'], {})).toEqual({ type: 'agent.updated' });
  });

  it('should refuse unknown event types, listing the known ones', () => {
    expect(() => parseTrigger(['credential.exploded'], {})).toThrow(
      /unknown event type "credential.exploded"; one of:\n {2}agent.created/,
    );
  });

  it('should refuse bad JSON in --data', () => {
    expect(() => parseTrigger(['credential.invalid'], { data: '{"a":' })).toThrow(/--data is not valid JSON/);
  });

  it('should refuse --credential with --object, or with an event not about a credential', () => {
    expect(() => parseTrigger(['credential.invalid'], { credential: 'cred_1', object: 'cred_2' })).toThrow(
      'give --credential or --object, not both',
    );
    expect(() => parseTrigger(['task_run.failed'], { credential: 'cred_1' })).toThrow(/takes --object <id>/);
  });
});

describe('deliveries', () => {
  it('should default to one listing every 500 ms when following', () => {
    expect(parseDeliveries([], {})).toEqual({ follow: false, intervalMs: 500 });
    expect(parseDeliveries([], { follow: true, destination: 'evtd_1', interval: '2s' })).toEqual({
      follow: true,
      destinationId: 'evtd_1',
      intervalMs: 2000,
    });
  });

  it('should refuse an interval that would hammer the sandbox', () => {
    expect(() => parseDeliveries([], { interval: '10' })).toThrow('--interval must be at least 50ms');
  });
});

describe('scenario', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sandbox-cli-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('should read a file to run, with the run options', () => {
    const file = join(dir, 'mine.yaml');
    writeFileSync(file, 'name: mine\n');
    expect(parseScenario(['run', file], { 'external-id': 'u1', timeout: '5s' })).toEqual({
      action: 'run',
      target: { file: { path: file, text: 'name: mine\n' } },
      body: { external_id: 'u1' },
      timeoutMs: 5000,
      intervalMs: 200,
    });
  });

  it('should take a bare word as the name of a scenario the sandbox has', () => {
    expect(parseScenario(['run', 'user_mfa'], {})).toMatchObject({ target: { name: 'user_mfa' }, timeoutMs: 60_000 });
  });

  it('should refuse a missing file before sending anything', () => {
    expect(() => parseScenario(['run', join(dir, 'missing.yaml')], {})).toThrow(
      /cannot read .*missing\.yaml: no such file/,
    );
    expect(() => parseScenario(['upload', dir], {})).toThrow(/not a file/);
  });

  it('should refuse unknown actions and a bad timeout', () => {
    expect(() => parseScenario([], {})).toThrow(UsageError);
    expect(() => parseScenario(['play', 'x'], {})).toThrow('unknown scenario action "play"');
    expect(() => parseScenario(['run', 'user_good'], { timeout: 'a while' })).toThrow('--timeout: "a while"');
  });
});

describe('credential, faults and reset', () => {
  it('should read a forced status, now or later', () => {
    expect(parseCredential(['status', 'cred_1', 'invalid'], {})).toEqual({ id: 'cred_1', status: 'invalid' });
    expect(parseCredential(['status', 'cred_1', 'invalid'], { after: '3d' })).toEqual({
      id: 'cred_1',
      status: 'invalid',
      after: '3d',
    });
    expect(() => parseCredential(['status', 'cred_1', 'deleted'], {})).toThrow(
      'the status must be one of unverified, verified, invalid, not "deleted"',
    );
  });

  it('should turn fault flags into the sandbox fields', () => {
    expect(
      parseFaults(['set', 'evtd_1'], {
        duplicate: '1',
        'drop-first': '2',
        delay: '5s',
        'stale-timestamp': '600',
        'late-events': '300',
        'bad-signature': true,
      }),
    ).toEqual({
      action: 'set',
      destinationId: 'evtd_1',
      faults: {
        duplicate: 1,
        drop_first: 2,
        delay_ms: 5000,
        stale_timestamp_s: 600,
        late_events: 300,
        bad_signature: true,
      },
    });
    expect(() => parseFaults(['set', 'evtd_1'], {})).toThrow(/needs at least one fault option/);
    expect(() => parseFaults(['set', 'evtd_1'], { duplicate: 'two' })).toThrow('--duplicate must be a whole number');
    expect(parseFaults(['clear', 'evtd_1'], {})).toEqual({ action: 'clear', destinationId: 'evtd_1' });
  });

  it('should describe faults and a reset in a line', () => {
    expect(formatFaults({ id: 'evtd_1', faults: { duplicate: 2, bad_signature: true } })).toBe(
      'faults on evtd_1: duplicate=2, bad_signature',
    );
    expect(formatFaults({ id: 'evtd_1', faults: null })).toBe('no faults on evtd_1');
    expect(
      formatReset({ object: 'sandbox_reset', organization: 'org_1', deleted: { credentials: 2, events: 0 } }),
    ).toBe('reset organisation org_1: deleted credentials 2; seeded again');
  });
});
