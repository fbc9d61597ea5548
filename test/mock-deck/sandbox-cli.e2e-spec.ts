import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { DeckCredential, DeckEvent, DeckList } from '@app/deck';

import { createCredential, seeded } from '../support/deck-fixtures';
import { deckClient, DeckClient, MockDeck, startMockDeck, waitFor } from '../support/mock-deck-app';
import { createWebhookDestination, waitForAttempts } from '../support/sandbox-deliveries';
import { answerOk, WebhookReceiver } from '../support/webhook-receiver';

/** The built CLI, exactly what `npm run sandbox` runs (`npx nest build mock-deck` first; npm test builds). */
const CLI = join(__dirname, '..', '..', 'dist', 'apps', 'mock-deck', 'apps', 'mock-deck', 'src', 'cli', 'main.js');
const DAY = 24 * 60 * 60 * 1000;

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A running CLI process whose output can be watched while it runs. */
interface CliProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  done: Promise<CliRun>;
}

describe('sandbox CLI (built, against a live sandbox)', () => {
  let deck: MockDeck;
  let dir: string;

  beforeAll(async () => {
    if (!existsSync(CLI)) {
      throw new Error(`${CLI} is missing: run npx nest build mock-deck first`);
    }
    deck = await startMockDeck({ MOCK_DECK_STEP_MS: '20' });
    dir = mkdtempSync(join(tmpdir(), 'sandbox-cli-e2e-'));
  });

  afterAll(async () => {
    await deck.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function start(args: string[], client: DeckClient, url = deck.url): CliProcess {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, SANDBOX_URL: url, SANDBOX_API_KEY: client.apiKey },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const done = new Promise<CliRun>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
    return { child, stdout: () => stdout, stderr: () => stderr, done };
  }

  function cli(args: string[], client: DeckClient, url?: string): Promise<CliRun> {
    return start(args, client, url).done;
  }

  function file(name: string, text: string): string {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  }

  async function credentials(client: DeckClient): Promise<DeckCredential[]> {
    return ((await client.get('/v2/credentials').expect(200)).body as DeckList<DeckCredential>).data;
  }

  it('should reset the organisation of its key', async () => {
    const client = deckClient(deck);
    const { sourceId } = await seeded(client);
    await createCredential(client, sourceId, 'user_good');

    const result = await cli(['reset'], client);

    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^reset organisation org_\w+: deleted .*credentials 1.*; seeded again\n$/);
    expect(await credentials(client)).toEqual([]);
  });

  it('should advance and show the sandbox clock', async () => {
    const client = deckClient(deck);
    const before = JSON.parse((await cli(['clock', '--json'], client)).stdout) as { now: string };

    const advanced = await cli(['clock', 'advance', '3d'], client);
    const after = await cli(['clock', '--json'], client);

    expect(advanced.code).toBe(0);
    expect(advanced.stdout).toMatch(/^advanced 3d: sandbox time \S+ \(running, scale 1\)\n$/);
    expect(after.code).toBe(0);
    const now = (JSON.parse(after.stdout) as { object: string; now: string }).now;
    expect(Date.parse(now) - Date.parse(before.now)).toBeGreaterThanOrEqual(3 * DAY);
    expect(Date.parse(now) - Date.parse(before.now)).toBeLessThan(3 * DAY + 60_000);

    const bad = await cli(['clock', 'advance', 'soon'], client);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('clock advance: "soon" is not a duration');
  });

  it('should trigger an event with custom data, and send nothing when --data is not JSON', async () => {
    const client = deckClient(deck);
    const { sourceId } = await seeded(client);
    const credential = await createCredential(client, sourceId, 'user_good');

    const result = await cli(
      ['trigger', 'credential.invalid', '--credential', credential.id, '--data', '{"external_id":"from_cli"}'],
      client,
    );
    const refused = await cli(['trigger', 'credential.invalid', '--data', '{external_id:from_cli}'], client);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^sent credential\\.invalid evt_\\w+ about ${credential.id} at `));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--data is not valid JSON');
    const events = (await client.get('/v2/events?type=credential.invalid').expect(200)).body as DeckList<DeckEvent>;
    expect(events.data).toHaveLength(1);
    expect(events.data[0].data).toMatchObject({ id: credential.id, external_id: 'from_cli' });
  });

  it('should upload and play a scenario file, printing every status until it completes', async () => {
    const client = deckClient(deck);
    const path = file(
      'cli-completes.yaml',
      `name: cli_completes
description: Two quick steps, then success.
runs:
  - steps:
      - wait: step
      - wait: step
      - complete: { result: success, output: { employee_id: E-7 } }
`,
    );

    const result = await cli(['scenario', 'run', path, '--external-id', 'cli_user'], client);

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`uploaded scenario cli_completes from ${path}`);
    expect(lines[1]).toMatch(/^playing cli_completes: credential cred_\w+, run trun_\w+$/);
    // Each change once, in order, stamped with its sandbox time; the quick steps are not skipped.
    expect(lines.slice(2, 5).map((l) => /^\S+Z {2}(\w+)$/.exec(l)?.[1])).toEqual(['queued', 'running', 'completed']);
    expect(lines.slice(5)).toEqual([
      `run ${/run (trun_\w+)$/.exec(lines[1])?.[1]} completed (result success)`,
      '    output: {"employee_id":"E-7"}',
    ]);
    const [credential] = await credentials(client);
    expect(credential).toMatchObject({ external_id: 'cli_user', status: 'verified' });
  });

  it('should print every problem of a bad scenario file at its path, exit 1 and run nothing', async () => {
    const client = deckClient(deck);
    const path = file(
      'cli-bad.yaml',
      `description: no name, an unknown step and a bad wait
runs:
  - steps:
      - wait: step
      - sing: loudly
      - complete: { result: success }
  - steps:
      - wait: forever
      - complete: { result: success }
`,
    );

    const result = await cli(['scenario', 'run', path], client);

    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^error 400: \d+ problems \(request req_\w+\)\n/);
    for (const problemPath of ['`name`', '`runs[0].steps[1]', '`runs[1].steps[0].wait`']) {
      expect(result.stderr).toContain(problemPath);
    }
    expect(await credentials(client)).toEqual([]);
  });

  it('should exit 2 with the usage for an unknown command', async () => {
    const result = await cli(['launch'], deckClient(deck));

    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^error: unknown command "launch"\n\nusage: npm run sandbox -- <command> \[options\]/,
    );
  });

  it('should exit 3 when nothing answers at the URL', async () => {
    // A port that was free a moment ago: connecting to it is refused.
    const port = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const address = server.address() as { port: number };
        server.close(() => resolve(address.port));
      });
    });
    const url = `http://127.0.0.1:${port}`;

    const result = await cli(['reset'], deckClient(deck), url);

    expect(result.code).toBe(3);
    expect(result.stderr).toBe(
      `cannot reach the sandbox at ${url}: is it running? (npm run start:mock-deck)\n  (ECONNREFUSED)\n`,
    );
  });

  it('should follow deliveries live and stop cleanly on Ctrl-C', async () => {
    const client = deckClient(deck);
    const receiver = new WebhookReceiver();
    await receiver.start();
    const tail = start(['deliveries', '--follow', '--interval', '100'], client);
    try {
      await waitFor(
        () => Promise.resolve(tail.stderr().includes('waiting for deliveries…') ? true : undefined),
        5000,
        'the tail to start',
      );
      expect(tail.stdout()).toBe('');

      const destination = await createWebhookDestination(client, receiver.url + receiver.endpoint(answerOk));
      const { sourceId } = await seeded(client);
      const credential = await createCredential(client, sourceId, 'user_good');
      const line = await waitFor(
        () =>
          Promise.resolve(
            tail
              .stdout()
              .split('\n')
              .find((l) => l.includes('credential.created')),
          ),
        5000,
        'an attempt line',
      );

      expect(line).toMatch(
        new RegExp(
          `^\\S+Z {2}credential\\.created +evt_\\w+ {2}→ ${destination.id} {2}#1 {2}success {2}200 +\\d+ ms {2}faults: none$`,
        ),
      );
      const event = (await client.get('/v2/events?type=credential.created').expect(200)).body as DeckList<DeckEvent>;
      expect(event.data[0].data.id).toBe(credential.id);
      expect(line).toContain(event.data[0].id);

      tail.child.kill('SIGINT');
      const result = await tail.done;
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('waiting for deliveries… (Ctrl-C to stop)\n');
    } finally {
      tail.child.kill('SIGKILL');
      await receiver.close();
    }
  });

  it('should force credential statuses, decide reviews, set faults, show secrets and redeliver', async () => {
    const client = deckClient(deck);
    const receiver = new WebhookReceiver();
    await receiver.start();
    try {
      const destination = await createWebhookDestination(client, receiver.url + receiver.endpoint(answerOk));
      const { sourceId } = await seeded(client);
      const credential = await createCredential(client, sourceId, 'user_good');
      const [first] = await waitForAttempts(client, destination.id, 1);

      const later = await cli(['credential', 'status', credential.id, 'invalid', '--after', '3d'], client);
      expect(later).toMatchObject({ code: 0, stderr: '' });
      expect(later.stdout).toMatch(new RegExp(`^credential ${credential.id} is unverified; goes invalid at \\S+Z`));

      const secret = await cli(['secret', destination.id], client);
      expect(secret).toEqual({ code: 0, stdout: `${destination.webhook.secret}\n`, stderr: '' });

      const faults = await cli(['faults', 'set', destination.id, '--duplicate', '1', '--bad-signature'], client);
      expect(faults.stdout).toBe(`faults on ${destination.id}: duplicate=1, bad_signature\n`);
      const outOfBounds = await cli(['faults', 'set', destination.id, '--duplicate', '9'], client);
      expect(outOfBounds.code).toBe(1);
      expect(outOfBounds.stderr).toMatch(/^error 400 input_invalid: .*\(field duplicate, request req_\w+\)\n$/);
      expect((await cli(['faults', 'clear', destination.id], client)).stdout).toBe(`no faults on ${destination.id}\n`);

      const redeliver = await cli(['redeliver', first.delivery_id], client);
      expect(redeliver.code).toBe(0);
      expect(redeliver.stdout).toBe(
        `redelivery of ${first.delivery_id} (credential.created ${first.event_id} → ${destination.id}) requested\n`,
      );
      await waitForAttempts(client, destination.id, 2);
      const log = await cli(['deliveries', '--destination', destination.id], client);
      expect(log.stdout.trimEnd().split('\n')).toEqual([
        expect.stringMatching(/ {2}#1 {2}success {2}200 .*faults: none$/),
        expect.stringMatching(/ {2}#2 {2}success {2}200 .*faults: none {2}\(redelivery\)$/),
      ]);

      // A run waiting for review does not end by itself: run times out (exit 1), review decides it.
      const waiting = await cli(['scenario', 'run', 'user_review', '--timeout', '1s'], client);
      expect(waiting.code).toBe(1);
      const runId = /run (trun_\w+)/.exec(waiting.stdout)?.[1] ?? '';
      expect(waiting.stdout).toContain(
        `review_required\n    decide: npm run sandbox -- review ${runId} approve|reject`,
      );
      expect(waiting.stderr).toBe(`timed out after 1s: run ${runId} is still review_required\n`);
      const approved = await cli(['review', runId, 'approve'], client);
      expect(approved).toEqual({ code: 0, stdout: `run ${runId} approved: completed\n`, stderr: '' });
    } finally {
      await receiver.close();
    }
  });
});
