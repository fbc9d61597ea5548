// The final table of `npm run bench`: each figure beside its baseline, their ratio, the goal and
// whether it is met. Rows are built from the phases' figures; a phase not run gives no rows.

/** A throughput ratio reads as a share of the baseline, a latency ratio as a multiple of it; a count has none. */
function ratio(deckhand, baseline, kind) {
  if (kind === 'none' || deckhand === null || deckhand === undefined || !baseline) {
    return '–';
  }
  const r = deckhand / baseline;
  return kind === 'share' ? `${(r * 100).toFixed(0)} %` : `×${r.toFixed(1)}`;
}

const num = (v, digits = 1) => (v === null || v === undefined || Number.isNaN(v) ? '–' : v.toFixed(digits));

function row(figure, deckhand, baseline, { unit = '', digits = 1, kind = 'multiple', goal = '–', met = null } = {}) {
  return {
    figure,
    deckhand: deckhand === null || deckhand === undefined ? '–' : `${num(deckhand, digits)}${unit}`,
    baseline: baseline === null || baseline === undefined ? '–' : `${num(baseline, digits)}${unit}`,
    ratio: ratio(deckhand, baseline, kind),
    goal,
    met: met === null ? '–' : met ? 'yes' : 'NO',
  };
}

function ingestRows(f) {
  const share = f.api.eventsPerSecond / f.bare.eventsPerSecond;
  return [
    row(`ingest events/s (${f.concurrency} concurrent)`, f.api.eventsPerSecond, f.bare.eventsPerSecond, {
      digits: 0,
      kind: 'share',
      goal: '≥ 60 % of bare',
      met: share >= 0.6,
    }),
    row('ingest latency p50', f.api.p50, f.bare.p50, { unit: ' ms' }),
    row('ingest latency p99', f.api.p99, f.bare.p99, { unit: ' ms', goal: '< 50 ms', met: f.api.p99 < 50 }),
    row('ingest non-200 answers', f.api.failures, f.bare.failures, {
      digits: 0,
      kind: 'none',
      goal: '0',
      met: f.api.failures === 0,
    }),
  ];
}

function listRows(f) {
  return f.shapes.map((s) =>
    row(`list p95: ${s.query}`, s.p95, s.baseline?.p95, { unit: ' ms', goal: '< 25 ms', met: s.p95 < 25 }),
  );
}

function freshnessRows(f) {
  return [
    row('freshness p50 (sandbox → socket)', f.api.p50, f.baseline.p50, { unit: ' ms' }),
    row('freshness p95', f.api.p95, f.baseline.p95, { unit: ' ms' }),
    row('freshness p99', f.api.p99, f.baseline.p99, { unit: ' ms', goal: '< 30 ms', met: f.api.p99 < 30 }),
  ];
}

/** The burst's own figures, read by name; a name it no longer gives shows as "–". */
function burstRows(f, quick) {
  const lag = f.delivery_lag_ms ?? {};
  const n = f.credentials ?? '?';
  const sized = !quick && f.credentials >= 500;
  const goal = (text, ok) => ({ goal: sized ? text : `${text} (at 500)`, met: sized && ok !== null ? ok : null });
  const known = (v) => (typeof v === 'number' ? v : null);
  return [
    row(`burst: ${n} created + run, seconds`, known(f.create_s), null, {
      unit: ' s',
      digits: 2,
      ...goal('< 3 s', known(f.create_s) === null ? null : f.create_s < 3),
    }),
    row('burst: create requests/s vs GET /v2/test', known(f.create_requests_per_s), known(f.baseline_get_test_per_s), {
      digits: 0,
      kind: 'share',
    }),
    row('burst: delivery lag p50', known(lag.p50), null, { unit: ' ms', digits: 0 }),
    row('burst: delivery lag p99', known(lag.p99), null, {
      unit: ' ms',
      digits: 0,
      ...goal('< 1 s', known(lag.p99) === null ? null : lag.p99 < 1000),
    }),
    row('burst: signed deliveries/s', known(f.deliveries_per_s), null, {
      digits: 0,
      ...goal('≥ 1,000', known(f.deliveries_per_s) === null ? null : f.deliveries_per_s >= 1000),
    }),
    row(`burst: clock advance, ${f.clock_users ?? '?'} users`, known(f.clock_advance_s), null, {
      unit: ' s',
      digits: 2,
    }),
  ];
}

function rowsFor(figures, { quick }) {
  return [
    ...(figures.ingest ? ingestRows(figures.ingest) : []),
    ...(figures.list ? listRows(figures.list) : []),
    ...(figures.freshness ? freshnessRows(figures.freshness) : []),
    ...(figures.burst ? burstRows(figures.burst, quick) : []),
  ];
}

const HEADINGS = ['figure', 'Deckhand', 'baseline', 'ratio', 'goal', 'met?'];
const cells = (r) => [r.figure, r.deckhand, r.baseline, r.ratio, r.goal, r.met];

function formatTable(rows) {
  const all = [HEADINGS, ...rows.map(cells)];
  const widths = HEADINGS.map((_, i) => Math.max(...all.map((c) => c[i].length)));
  const line = (c) => c.map((v, i) => v.padEnd(widths[i])).join(' | ');
  return [line(HEADINGS), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map((r) => line(cells(r)))].join('\n');
}

function markdownTable(rows) {
  const line = (c) => `| ${c.join(' | ')} |`;
  return [
    line(HEADINGS),
    line(HEADINGS.map(() => '---')),
    ...rows.map((r) => line(cells(r).map((v) => v.replace(/\|/g, '\\|')))),
  ].join('\n');
}

module.exports = { formatTable, markdownTable, rowsFor };
