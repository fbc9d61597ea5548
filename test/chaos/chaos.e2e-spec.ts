import { CI_SIZE, ChaosReport, describeFigures, runChaos } from './chaos-run';

/**
 * Nothing is lost across crashes and faults: end users across the scenario
 * catalogue while the api and the sandbox are SIGKILLed and restarted, every
 * delivery fault is turned on in turn, the destination is switched off by
 * exhausted retries, the signing secret is rotated past its overlap and the
 * operator's socket drops. Once settled, the api must hold what the sandbox
 * holds. The run happens once; each verdict below reads its frozen report.
 */
describe('Chaos: the built api and sandbox under crashes and delivery faults', () => {
  let report: ChaosReport;

  beforeAll(async () => {
    report = await runChaos(CI_SIZE);
    // The figures and every difference, whatever the verdicts: the evidence when one fails.
    console.log(
      `${describeFigures(report)}\n${JSON.stringify({ verdicts: report.verdicts, notes: report.notes, userErrors: report.userErrors }, null, 2)}`,
    );
    // Each phase waits on its own bounded deadline; this only guards against a hang. In `npm test` the run
    // shares 2 cores with the other jest worker, the browser suite and the static checks (up to 170 s seen).
  }, 300_000);

  it('went through every disruption it planned', () => {
    expect(report.notes).toEqual([]);
    expect(report.figures.apiKills).toBeGreaterThanOrEqual(4);
    expect(report.figures.sandboxKills).toBeGreaterThanOrEqual(1);
    expect(report.figures.deactivations).toBe(1);
    expect(report.figures.rotations).toBe(1);
  });

  it('lets every end user store a login and start its verification through the crashes', () => {
    expect(report.userErrors).toEqual([]);
  });

  it("settles with the api's mirror equal to the sandbox's truth", () => {
    expect(report.figures.convergeMs).not.toBeNull();
  });

  it("has every credential's status as the sandbox has it", () => {
    expect(report.verdicts.credentials).toEqual([]);
  });

  it("has every run's status and result as the sandbox has them, linked to its credential", () => {
    expect(report.verdicts.runs).toEqual([]);
  });

  it('has the same prompts open as the sandbox', () => {
    expect(report.verdicts.openPrompts).toEqual([]);
  });

  it("loses no event: every sandbox event id is in the api's inbox", () => {
    expect(report.verdicts.lostEvents).toEqual([]);
  });

  it('applies no event twice', () => {
    expect(report.verdicts.doubleApplied).toEqual([]);
  });

  it("rebuilds from the operator socket's changes the state REST shows", () => {
    expect(report.verdicts.live).toEqual([]);
  });
});
