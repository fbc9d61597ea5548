import { CI_SIZE, describeFigures, LONG_SIZE, runChaos } from './chaos-run';

/**
 * `npm run chaos` (the CI-sized run) or `npm run chaos -- --long`: the same run
 * as the jest suite, printing its figures and every difference found.
 * Exits 1 when a verdict fails.
 */
async function main(): Promise<void> {
  const size = process.argv.includes('--long') ? LONG_SIZE : CI_SIZE;
  const report = await runChaos(size, (line) => console.log(line));
  console.log(describeFigures(report));
  let failed = false;
  for (const [verdict, lines] of Object.entries(report.verdicts) as [string, string[]][]) {
    if (lines.length > 0) {
      failed = true;
      console.log(`\n${verdict}: ${lines.length} difference(s)\n  ${lines.slice(0, 50).join('\n  ')}`);
    }
  }
  if (report.notes.length > 0) {
    console.log(`\nnotes:\n  ${report.notes.join('\n  ')}`);
  }
  if (report.userErrors.length > 0) {
    failed = true;
    console.log(`\nend users refused:\n  ${report.userErrors.join('\n  ')}`);
  }
  if (report.notes.length > 0 || report.figures.convergeMs === null) {
    failed = true;
  }
  console.log(failed ? '\nchaos: FAILED' : '\nchaos: nothing lost, nothing applied twice');
  process.exitCode = failed ? 1 : 0;
}

// Ctrl-C or a kill still runs the exit hooks that stop both apps and remove their folder.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => process.exit(130));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
