// The webhook ingest load: realistic Deck event sequences and the one load generator that
// sends them, signed, at a fixed concurrency. The api's inbox and the bare baseline are both
// driven through here, so they get the same bytes in the same order.
const { percentile, webhookSender } = require('./system');

/** `count` events: per credential created → queued → running → completed → verified, 7 ms apart. */
function ingestEvents(count) {
  const out = [];
  let t = Date.parse('2026-01-01T00:00:00Z');
  for (let i = 0; out.length < count; i++) {
    const cred = `cred_bench${i}`;
    const run = `trun_bench${i}`;
    const stamp = () => new Date((t += 7)).toISOString();
    const credential = (status) => ({
      id: cred,
      object: 'credential',
      status,
      source_id: 'src_bench',
      external_id: `user-${i}`,
      auth_method: 'username_password',
      auth_credentials: { username: `user${i}@example.com` },
    });
    const taskRun = (status, extra = {}) => ({
      id: run,
      object: 'task_run',
      status,
      task_id: 'task_bench',
      credential_id: cred,
      result: null,
      errors: [],
      ...extra,
    });
    out.push(
      ['credential.created', credential('unverified')],
      ['task_run.queued', taskRun('queued')],
      ['task_run.running', taskRun('running')],
      ['task_run.completed', taskRun('completed', { result: 'success' })],
      ['credential.verified', credential('verified')],
    );
    for (let k = out.length - 5; k < out.length; k++) {
      const [type, data] = out[k];
      out[k] = { id: `evt_bench${i}_${k}`, object: 'event', type, data, created_at: stamp() };
    }
  }
  return out.slice(0, count);
}

/**
 * POSTs `events` to `${baseURL}/webhooks/deck`, signed with `secret`, `concurrency` at a time.
 * Resolves with events/s, seconds, latency percentiles (ms) and the count of non-200 answers.
 */
async function driveIngest({ baseURL, secret, events, concurrency }) {
  const send = webhookSender(baseURL, secret);
  const queue = [...events];
  const latencies = [];
  let failures = 0;
  const started = process.hrtime.bigint();
  async function worker() {
    for (let event = queue.shift(); event; event = queue.shift()) {
      const { status, ms } = await send(event);
      latencies.push(ms);
      if (status !== 200) {
        failures += 1;
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    events: events.length,
    concurrency,
    seconds,
    eventsPerSecond: events.length / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: percentile(latencies, 100),
    failures,
  };
}

module.exports = { driveIngest, ingestEvents };
