import { lineOfPath, locateProblems, pathSegments, readScenarioText, withoutPath } from './scenario-lines';

const YAML = `# a scenario
name: payroll
description: MFA then success
runs:
  - steps:
      - wait: step
      - interaction:
          type: mfa
          message: Enter the code
          fields:
            - { name: code, label: Code }
          accept: { pin: ['1'] }
      - complete: { result: success }
  - steps:
      - fail:
          error: { type: auth, code: auth_invalid, message: Nope }
credential:
  breaks_after: 3d
`;

describe('scenario problem lines', () => {
  it('should split a path into map keys and sequence indexes', () => {
    expect(pathSegments('runs[0].steps[2].interaction.accept.pin')).toEqual([
      'runs',
      0,
      'steps',
      2,
      'interaction',
      'accept',
      'pin',
    ]);
    expect(pathSegments('(root)')).toEqual([]);
  });

  it('should find keys in nested maps', () => {
    expect(lineOfPath(YAML, 'name')).toBe(2);
    expect(lineOfPath(YAML, 'credential')).toBe(17);
    expect(lineOfPath(YAML, 'credential.breaks_after')).toBe(18);
  });

  it('should find items in sequences, and keys inside them', () => {
    expect(lineOfPath(YAML, 'runs')).toBe(4);
    expect(lineOfPath(YAML, 'runs[0]')).toBe(5);
    expect(lineOfPath(YAML, 'runs[0].steps[0]')).toBe(6);
    expect(lineOfPath(YAML, 'runs[0].steps[1].interaction.message')).toBe(9);
    expect(lineOfPath(YAML, 'runs[0].steps[1].interaction.fields[0]')).toBe(11);
    expect(lineOfPath(YAML, 'runs[0].steps[2].complete.result')).toBe(13);
    expect(lineOfPath(YAML, 'runs[1].steps[0].fail.error.code')).toBe(16);
  });

  it('should find keys inside flow maps written on one line', () => {
    expect(lineOfPath(YAML, 'runs[0].steps[1].interaction.accept.pin')).toBe(12);
  });

  it('should fall back to the nearest existing parent for a missing path', () => {
    const [missing, badIndex, root] = locateProblems(YAML, [
      { path: 'runs[0].steps[1].interaction.window', message: 'is required' },
      { path: 'runs[5].steps', message: 'x' },
      { path: '(root)', message: 'y' },
    ]);

    expect(missing).toEqual({
      path: 'runs[0].steps[1].interaction.window',
      message: 'is required',
      line: 7,
      exact: false,
    });
    expect(badIndex.line).toBe(4);
    expect(badIndex.exact).toBe(false);
    expect(root.line).toBe(2);
    expect(root.exact).toBe(true);
  });

  it('should list a problem named twice once', () => {
    const located = locateProblems(YAML, [
      { path: 'name', message: 'must match a schema in anyOf' },
      { path: 'name', message: 'must match a schema in anyOf' },
      { path: 'name', message: 'must be a string' },
    ]);

    expect(located.map((p) => p.message)).toEqual(['must match a schema in anyOf', 'must be a string']);
  });

  it('should map paths in JSON text too', () => {
    const json = JSON.stringify({ name: 'x', runs: [{ steps: [{ wait: 'soon' }] }] }, null, 2);

    expect(lineOfPath(json, 'runs[0].steps[0].wait')).toBe(7);
    expect(lineOfPath(json, 'runs[0].steps[0].wait.extra')).toBe(7);
  });

  it('should find map keys that contain dots', () => {
    expect(lineOfPath('accept:\n  a.b:\n    - x\n', 'accept.a.b[0]')).toBe(3);
  });

  it('should read YAML into a value, or give its syntax errors at their lines', () => {
    expect(readScenarioText('name: a\nruns: []\n')).toEqual({ ok: true, value: { name: 'a', runs: [] } });

    const broken = readScenarioText('name: a\nruns:\n  - steps: [\n');
    expect(broken.ok).toBe(false);
    expect(broken.ok ? [] : broken.problems.map((p) => p.line)).toEqual([expect.any(Number)]);

    const duplicate = readScenarioText('name: a\nname: b\n');
    expect(duplicate.ok ? null : duplicate.problems[0].line).toBe(2);
  });

  it('should drop the path a message starts with', () => {
    expect(withoutPath('runs[0].steps', '`runs[0].steps` is required.')).toBe('is required.');
    expect(withoutPath('name', 'must be a string')).toBe('must be a string');
  });
});
