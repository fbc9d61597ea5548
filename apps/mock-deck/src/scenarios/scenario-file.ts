import Ajv, { ErrorObject } from 'ajv';
import { parse as parseYaml, YAMLParseError } from 'yaml';

import type { ScenarioProblem, ScenarioSpec, ScenarioStepSpec } from '@app/deck';

import { bodyShapeProblem, MAX_BODY_DEPTH } from '../common/body-guards';
import { MAX_DURATION_MS, MAX_DURATION_TEXT, parseDuration } from '../common/duration';
import type { RunScript, ScriptStep } from '../task-runs/engine/run-script';
import { SCENARIO_SCHEMA } from './scenario.schema';

export type ScenarioResult =
  { ok: true; script: RunScript; spec: ScenarioSpec } | { ok: false; problems: ScenarioProblem[] };

const validate = new Ajv({ allErrors: true, strict: false }).compile<ScenarioSpec>(SCENARIO_SCHEMA);

function pathOf(pointer: string, extra?: string): string {
  const segments = [...pointer.split('/').filter(Boolean), ...(extra === undefined ? [] : [extra])];
  return segments.reduce((path, s) => (/^\d+$/.test(s) ? `${path}[${s}]` : path ? `${path}.${s}` : s), '') || '(root)';
}

function describe(error: ErrorObject): ScenarioProblem {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return {
        path: pathOf(error.instancePath, String(params.missingProperty)),
        message: 'is required',
        missing: true,
      };
    case 'additionalProperties':
      return {
        path: pathOf(error.instancePath, String(params.additionalProperty)),
        message: 'is not a recognised field',
        missing: false,
      };
    case 'minProperties':
    case 'maxProperties':
      return {
        path: pathOf(error.instancePath),
        message: 'a step needs exactly one of wait, interaction, complete, fail or review',
        missing: false,
      };
    default:
      return { path: pathOf(error.instancePath), message: error.message ?? 'is invalid', missing: false };
  }
}

/** Rules a JSON Schema cannot say: durations in range, answers only for real fields, and every run ends in an outcome. */
function semanticProblems(spec: ScenarioSpec): ScenarioProblem[] {
  const problems: ScenarioProblem[] = [];
  const tooLong = (value: string | number | undefined, path: string): void => {
    if (value !== undefined && value !== 'step' && (parseDuration(value) ?? 0) > MAX_DURATION_MS) {
      problems.push({ path, message: `must be at most ${MAX_DURATION_TEXT}`, missing: false });
    }
  };
  tooLong(spec.credential?.breaks_after, 'credential.breaks_after');
  spec.runs.forEach((run, r) => {
    run.steps.forEach((step, s) => {
      if ('wait' in step) {
        tooLong(step.wait, `runs[${r}].steps[${s}].wait`);
      }
      if ('interaction' in step) {
        tooLong(step.interaction.window, `runs[${r}].steps[${s}].interaction.window`);
        const names = new Set(step.interaction.fields.map((f) => f.name));
        if (names.size !== step.interaction.fields.length) {
          problems.push({
            path: `runs[${r}].steps[${s}].interaction.fields`,
            message: 'field names must be unique',
            missing: false,
          });
        }
        for (const name of Object.keys(step.interaction.accept ?? {})) {
          if (!names.has(name)) {
            problems.push({
              path: `runs[${r}].steps[${s}].interaction.accept.${name}`,
              message: 'names no field of this interaction',
              missing: false,
            });
          }
        }
      }
    });
    const last = run.steps[run.steps.length - 1];
    if (!('complete' in last || 'fail' in last || 'review' in last)) {
      problems.push({
        path: `runs[${r}].steps`,
        message: 'the last step must be complete, fail or review',
        missing: false,
      });
    }
  });
  return problems;
}

function durationMs(value: string | number): number {
  const ms = parseDuration(value);
  if (ms === null) {
    throw new Error(`Unchecked duration ${value}`);
  }
  return ms;
}

function toStep(spec: ScenarioStepSpec): ScriptStep {
  if ('wait' in spec) {
    return spec.wait === 'step' ? { kind: 'wait' } : { kind: 'wait', ms: durationMs(spec.wait) };
  }
  if ('interaction' in spec) {
    const { accept, max_attempts, retry_message, window, on_exhausted, ...interaction } = spec.interaction;
    return {
      kind: 'interaction',
      interaction: { ...interaction, fields: interaction.fields.map((f) => ({ type: 'string', ...f })) },
      accept,
      max_attempts,
      retry_message,
      window_ms: window === undefined ? undefined : durationMs(window),
      exhausted_error: on_exhausted,
    };
  }
  if ('complete' in spec) {
    return { kind: 'complete', result: spec.complete.result, output: spec.complete.output };
  }
  if ('fail' in spec) {
    return { kind: 'fail', error: spec.fail.error, credential: spec.fail.credential };
  }
  return { kind: 'review' };
}

/** Turns a checked scenario into the script the run engine follows. */
export function toRunScript(spec: ScenarioSpec): RunScript {
  return {
    name: spec.name,
    description: spec.description ?? '',
    runs: spec.runs.map((run) => run.steps.map(toStep)),
    breaks_after_ms: spec.credential?.breaks_after === undefined ? undefined : durationMs(spec.credential.breaks_after),
    faults: spec.faults,
  };
}

/** Checks a parsed scenario: every problem at once, each with its path. */
export function checkScenario(value: unknown): ScenarioResult {
  if (!validate(value)) {
    return { ok: false, problems: (validate.errors ?? []).map(describe) };
  }
  const problems = semanticProblems(value);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, spec: value, script: toRunScript(value) };
}

/** Parses and checks a scenario written in YAML or JSON (YAML is a superset of JSON). */
export function readScenario(text: string): ScenarioResult {
  let value: unknown;
  try {
    value = parseYaml(text, { prettyErrors: true, maxAliasCount: 100 });
  } catch (error: unknown) {
    const message = error instanceof YAMLParseError ? error.message.split('\n')[0] : 'is not valid YAML or JSON';
    return { ok: false, problems: [{ path: '(root)', message, missing: false }] };
  }
  const shape = bodyShapeProblem(value, MAX_BODY_DEPTH);
  if (shape?.kind === 'too_deep') {
    // Block-style YAML can nest without brackets; the schema check would recurse through it.
    return {
      ok: false,
      problems: [{ path: '(root)', message: `nests deeper than ${MAX_BODY_DEPTH} levels`, missing: false }],
    };
  }
  if (shape?.kind === 'malformed_text') {
    // A YAML `"\ud800"` escape gives the same lone surrogate a JSON body is refused for.
    const message = `${shape.key ? 'has a field name that ' : ''}is not well-formed text: it has a lone UTF-16 surrogate`;
    return { ok: false, problems: [{ path: pathOf(shape.field.split('.').join('/')), message, missing: false }] };
  }
  return checkScenario(value);
}
