import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { readScenario } from './scenario-file';

const catalogueDir = join(__dirname, 'catalogue');

describe(readScenario.name, () => {
  it('should read a YAML scenario into the steps the engine follows', () => {
    const result = readScenario(`
name: breaks_in_three_days
description: Verifies, then the password changes at the source.
runs:
  - steps:
      - wait: step
      - interaction:
          type: mfa
          message: Enter the code.
          fields: [{ name: code, label: Code }]
          accept: { code: ['000111'] }
          window: 2m
      - complete: { result: success, output: { balance: 12 } }
credential: { breaks_after: 3d }
faults: { duplicate: 1 }
`);
    expect(result.ok).toBe(true);
    if (!result.ok) {
      return;
    }
    expect(result.script).toEqual({
      name: 'breaks_in_three_days',
      description: 'Verifies, then the password changes at the source.',
      runs: [
        [
          { kind: 'wait' },
          {
            kind: 'interaction',
            interaction: {
              type: 'mfa',
              message: 'Enter the code.',
              fields: [{ name: 'code', type: 'string', label: 'Code' }],
            },
            accept: { code: ['000111'] },
            max_attempts: undefined,
            retry_message: undefined,
            window_ms: 120_000,
            exhausted_error: undefined,
          },
          { kind: 'complete', result: 'success', output: { balance: 12 } },
        ],
      ],
      breaks_after_ms: 259_200_000,
      faults: { duplicate: 1 },
    });
  });

  it('should read the same scenario written as JSON', () => {
    const result = readScenario(
      JSON.stringify({
        name: 'json_one',
        runs: [
          { steps: [{ wait: '1s' }, { fail: { error: { type: 'source', code: 'source_error', message: 'Down.' } } }] },
        ],
      }),
    );
    expect(result.ok && result.script.runs[0]).toEqual([
      { kind: 'wait', ms: 1000 },
      { kind: 'fail', error: { type: 'source', code: 'source_error', message: 'Down.' }, credential: undefined },
    ]);
  });

  it('should list every problem at its path, not just the first', () => {
    const result = readScenario(`
name: Bad Name
colour: blue
runs:
  - steps:
      - wait: soon
      - interaction:
          type: mfa
          fields: [{ name: code, label: Code }]
          accept: { pin: ['1'] }
      - wait: 1s
        review: {}
      - sleep: 5s
`);
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^name: /),
        'colour: is not a recognised field',
        expect.stringMatching(/^runs\[0\]\.steps\[0\]\.wait: /),
        'runs[0].steps[1].interaction.message: is required',
        'runs[0].steps[2]: a step needs exactly one of wait, interaction, complete, fail or review',
        'runs[0].steps[3].sleep: is not a recognised field',
      ]),
    );
  });

  it('should refuse answers for fields the prompt does not have, and runs that end without an outcome', () => {
    const result = readScenario(`
name: no_outcome
runs:
  - steps:
      - interaction:
          type: mfa
          message: Code?
          fields: [{ name: code, label: Code }]
          accept: { pin: ['1'] }
      - wait: step
`);
    expect(result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'runs[0].steps[0].interaction.accept.pin: names no field of this interaction',
      'runs[0].steps: the last step must be complete, fail or review',
    ]);
  });

  it('should refuse text that is not YAML or JSON', () => {
    const result = readScenario('name: [unclosed');
    expect(result.ok).toBe(false);
    expect(result.ok ? null : result.problems[0].path).toBe('(root)');
  });

  it('should refuse a lone surrogate written as a YAML escape, at its path', () => {
    const result = readScenario(`
name: lone
runs:
  - steps:
      - fail: { error: { type: source, code: source_error, message: "x\\ud800y" } }
`);
    expect(result.ok ? null : result.problems).toEqual([
      {
        path: 'runs[0].steps[0].fail.error.message',
        message: 'is not well-formed text: it has a lone UTF-16 surrogate',
        missing: false,
      },
    ]);
  });

  it.each(readdirSync(catalogueDir))('should accept the built-in %s, named after its file', (file) => {
    const result = readScenario(readFileSync(join(catalogueDir, file), 'utf8'));
    expect(result.ok ? result.spec.name : result.problems).toBe(file.replace(/\.yaml$/, ''));
  });
});

describe('the example scenarios shipped in scenarios/', () => {
  const dir = join(__dirname, '..', '..', '..', '..', 'scenarios');

  it.each(readdirSync(dir).filter((f) => f.endsWith('.yaml')))('should accept %s', (file) => {
    const result = readScenario(readFileSync(join(dir, file), 'utf8'));
    expect(result.ok ? result.spec.name : result.problems).toBe(file.replace(/\.yaml$/, ''));
  });
});
