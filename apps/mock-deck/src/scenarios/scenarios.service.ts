import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EntityManager, Repository } from 'typeorm';

import type { ScenarioOrigin, ScenarioProblem, ScenarioSpec, ScenarioView } from '@app/deck';

import { SandboxClock } from '../scheduler/clock';
import { DeckError } from '../common/deck-error';
import { mockDeckConfig, MockDeckConfig } from '../config/mock-deck.config';
import { Transactor } from '@app/sqlite';
import type { RunScript, ScriptStep } from '../task-runs/engine/run-script';
import { Scenario } from './scenario.entity';
import { readScenario, toRunScript } from './scenario-file';

const FILE_PATTERN = /\.(ya?ml|json)$/i;
const DEFAULT_SCRIPT = 'user_good';
const MAX_MFA_ROUNDS = 99;

/** Problems of a refused scenario, as one error listing each at its path. */
export function scenarioError(problems: ScenarioProblem[]): DeckError {
  return new DeckError(
    problems.map((p) => ({
      code: p.missing ? ('input_missing' as const) : ('input_invalid' as const),
      field: p.path,
      message: `\`${p.path}\` ${p.message}.`,
    })),
  );
}

/**
 * Every scenario a run can follow: the built-in catalogue (scenario files
 * shipped with the sandbox), a folder read at start, and what each
 * organisation uploads. A credential's username, or the local part of its
 * e-mail, names the scenario.
 */
@Injectable()
export class ScenariosService implements OnModuleInit {
  private readonly logger = new Logger(ScenariosService.name);
  private readonly builtIn = new Map<string, ScenarioSpec>();
  private readonly folder = new Map<string, ScenarioSpec>();

  constructor(
    @InjectRepository(Scenario) private readonly uploads: Repository<Scenario>,
    private readonly transactor: Transactor,
    private readonly clock: SandboxClock,
    @Inject(mockDeckConfig.KEY) private readonly config: MockDeckConfig,
  ) {}

  onModuleInit(): void {
    for (const [file, result] of this.readDir(join(__dirname, 'catalogue'))) {
      if (!result.ok) {
        throw new Error(`Built-in scenario ${file} is invalid: ${JSON.stringify(result.problems)}`);
      }
      this.builtIn.set(result.spec.name, result.spec);
    }
    const dir = resolve(this.config.scenariosDir);
    if (!existsSync(dir)) {
      return;
    }
    for (const [file, result] of this.readDir(dir)) {
      if (result.ok) {
        this.folder.set(result.spec.name, result.spec);
      } else {
        // A bad file is refused, not fatal: the sandbox still serves everything else.
        this.logger.warn(
          `Scenario file ${file} refused:\n${result.problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`,
        );
      }
    }
    this.logger.log(`Loaded ${this.builtIn.size} built-in and ${this.folder.size} folder scenarios`);
  }

  /** The script a new run of a credential with this username follows. */
  async scriptFor(manager: EntityManager, orgId: string, username: string | null): Promise<RunScript> {
    const name = (username ?? '').split('@')[0].trim().toLowerCase();
    const uploaded = name ? await manager.findOneBy(Scenario, { org_id: orgId, name }) : null;
    const spec = uploaded?.spec ?? this.folder.get(name) ?? this.builtIn.get(name);
    if (spec) {
      return toRunScript(spec);
    }
    const rounds = /^user_mfa_(\d{1,2})$/.exec(name);
    if (rounds && Number(rounds[1]) >= 1 && Number(rounds[1]) <= MAX_MFA_ROUNDS) {
      return this.mfaRounds(Number(rounds[1]));
    }
    return toRunScript(this.required(DEFAULT_SCRIPT));
  }

  async list(orgId: string): Promise<ScenarioView[]> {
    const views = new Map<string, ScenarioView>();
    for (const [origin, specs] of [
      ['built-in', this.builtIn],
      ['folder', this.folder],
    ] as const) {
      for (const spec of specs.values()) {
        views.set(spec.name, this.view(spec, origin));
      }
    }
    for (const upload of await this.uploads.find({ where: { org_id: orgId }, order: { name: 'ASC' } })) {
      views.set(upload.name, this.view(upload.spec, 'uploaded'));
    }
    return [...views.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  async get(orgId: string, name: string): Promise<ScenarioView> {
    const found = (await this.list(orgId)).find((s) => s.name === name);
    if (!found) {
      throw DeckError.notFound('scenario_not_found', 'scenario', name);
    }
    return found;
  }

  /** Checks and stores a scenario (YAML or JSON text, or a parsed object); the same name is replaced. */
  async upload(orgId: string, body: string | object): Promise<ScenarioView> {
    const result = readScenario(typeof body === 'string' ? body : JSON.stringify(body));
    if (!result.ok) {
      throw scenarioError(result.problems);
    }
    const spec = result.spec;
    await this.transactor.run(async (manager) => {
      const now = this.clock.now().toISOString();
      const existing = await manager.findOneBy(Scenario, { org_id: orgId, name: spec.name });
      await manager.save(
        existing
          ? Object.assign(existing, { spec, updated_at: now })
          : manager.create(Scenario, { org_id: orgId, name: spec.name, spec, created_at: now, updated_at: now }),
      );
    });
    return this.view(spec, 'uploaded');
  }

  async remove(orgId: string, name: string): Promise<{ object: 'scenario'; name: string; deleted: true }> {
    await this.transactor.run(async (manager) => {
      const upload = await manager.findOneBy(Scenario, { org_id: orgId, name });
      if (!upload) {
        throw DeckError.notFound('scenario_not_found', 'uploaded scenario', name);
      }
      await manager.remove(upload);
    });
    return { object: 'scenario', name, deleted: true };
  }

  /** `user_mfa_<n>`: the built-in MFA prompt n times in a row, each a fresh prompt. */
  private mfaRounds(rounds: number): RunScript {
    const base = toRunScript(this.required('user_mfa'));
    const [steps] = base.runs;
    const prompt = steps.find((s): s is Extract<ScriptStep, { kind: 'interaction' }> => s.kind === 'interaction');
    if (!prompt) {
      throw new Error('The built-in user_mfa scenario has no prompt');
    }
    const repeated: ScriptStep[] = [{ kind: 'wait' }];
    for (let round = 1; round <= rounds; round++) {
      repeated.push({
        ...prompt,
        interaction: { ...prompt.interaction, message: `${prompt.interaction.message} (Step ${round} of ${rounds}.)` },
      });
    }
    return {
      name: `user_mfa_${rounds}`,
      description: `${rounds} MFA rounds in a row (code 123456 each).`,
      runs: [[...repeated, { kind: 'wait' }, { kind: 'complete', result: 'success' }]],
    };
  }

  private required(name: string): ScenarioSpec {
    const spec = this.builtIn.get(name);
    if (!spec) {
      throw new Error(`The built-in scenario ${name} is missing`);
    }
    return spec;
  }

  private view(spec: ScenarioSpec, origin: ScenarioOrigin): ScenarioView {
    return { object: 'scenario', name: spec.name, description: spec.description ?? '', origin, spec };
  }

  private *readDir(dir: string): Generator<[string, ReturnType<typeof readScenario>]> {
    for (const file of readdirSync(dir)
      .filter((f) => FILE_PATTERN.test(f))
      .sort()) {
      yield [file, readScenario(readFileSync(join(dir, file), 'utf8'))];
    }
  }
}
