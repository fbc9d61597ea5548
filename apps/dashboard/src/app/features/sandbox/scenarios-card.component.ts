import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { RouterLink } from '@angular/router';
import { stringify } from 'yaml';

import type { ScenarioView } from '@app/deck';

import { confirmAction } from '../../shared/confirm-dialog.component';
import { ActionResultComponent } from './action-result.component';
import { ActionState } from './action-state';
import { problemLines, SandboxFailure } from './sandbox-errors';
import { SandboxService } from './sandbox.service';
import { SandboxStore } from './sandbox.store';
import { LocatedProblem, locateProblems, readScenarioText, withoutPath } from './scenario-lines';

/** Sandbox scenario files stay small; the api takes bodies up to 64 kB. */
const MAX_FILE_BYTES = 60_000;

interface NumberedLine {
  number: number;
  text: string;
  problems: LocatedProblem[];
}

/** Section 2: the scenarios a username can pick, viewed, uploaded (problems at their lines), removed and played. */
@Component({
  selector: 'dh-scenarios-card',
  imports: [
    FormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatSelectModule,
    RouterLink,
    ActionResultComponent,
  ],
  templateUrl: './scenarios-card.component.html',
  styleUrl: './scenarios-card.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ScenariosCardComponent {
  protected readonly selectedName = signal<string | null>(null);
  protected readonly text = signal('');
  protected readonly fileName = signal<string | null>(null);
  protected readonly upload = new ActionState();
  /** The text the problems were found in, and where; cleared when the text changes. */
  protected readonly checked = signal<{ text: string; problems: LocatedProblem[] } | null>(null);
  /** Playing or deleting the scenario on view. */
  protected readonly action = new ActionState<{ text: string; credentialId: string | null }>();

  protected readonly selected = computed<ScenarioView | null>(
    () => (this.store.scenarios() ?? []).find((s) => s.name === this.selectedName()) ?? null,
  );
  protected readonly selectedYaml = computed(() => {
    const scenario = this.selected();
    return scenario ? stringify(scenario.spec, { lineWidth: 100 }) : '';
  });
  protected readonly numbered = computed<NumberedLine[]>(() => {
    const checked = this.checked();
    if (!checked) {
      return [];
    }
    return checked.text.split('\n').map((text, i) => ({
      number: i + 1,
      text,
      problems: checked.problems.filter((p) => p.line === i + 1),
    }));
  });
  protected readonly failureLines = computed(() => {
    const failure = this.upload.failure();
    return failure && (this.checked()?.problems.length ?? 0) === 0 ? problemLines(failure) : [];
  });

  protected readonly store = inject(SandboxStore);
  private readonly sandbox = inject(SandboxService);
  private readonly dialog = inject(MatDialog);

  protected shortMessage(problem: LocatedProblem): string {
    return withoutPath(problem.path, problem.message);
  }

  protected editText(value: string): void {
    this.text.set(value);
    this.checked.set(null);
    this.upload.clear();
  }

  protected async readFile(input: HTMLInputElement): Promise<void> {
    const file = input.files?.[0];
    if (!file) {
      return;
    }
    if (file.size > MAX_FILE_BYTES) {
      this.upload.refuse(`${file.name} is ${Math.round(file.size / 1000)} kB; a scenario file must be under 60 kB.`);
      return;
    }
    this.fileName.set(file.name);
    this.editText(await file.text());
  }

  protected copyToEditor(scenario: ScenarioView): void {
    this.fileName.set(null);
    this.editText(this.selectedYaml() || stringify(scenario.spec));
  }

  protected async uploadScenario(): Promise<void> {
    const text = this.text();
    if (text.trim() === '') {
      this.upload.refuse('Choose a file or paste a scenario first.');
      return;
    }
    this.upload.clear();
    this.checked.set(null);
    const read = readScenarioText(text);
    if (!read.ok) {
      this.checked.set({ text, problems: read.problems });
      this.upload.refuse('This is not valid YAML or JSON; nothing was sent.');
      return;
    }
    await this.upload.run(
      'Checking and uploading…',
      async () => {
        const scenario = await this.sandbox.uploadScenario(read.value);
        this.selectedName.set(scenario.name);
        await this.store.loadScenarios();
        return `Uploaded ${scenario.name}: a credential whose username is ${scenario.name} now follows it.`;
      },
      (failure) => this.refusalAtLines(text, failure),
    );
  }

  protected async deleteScenario(scenario: ScenarioView): Promise<void> {
    const confirmed = await confirmAction(this.dialog, {
      title: `Delete ${scenario.name}?`,
      message: `Credentials named ${scenario.name} go back to the built-in or folder scenario of that name, or behave like user_good. Runs already under way keep their steps.`,
      confirm: 'Delete',
      danger: true,
    });
    if (!confirmed) {
      return;
    }
    await this.action.run(`Deleting ${scenario.name}…`, async () => {
      await this.sandbox.deleteScenario(scenario.name);
      await this.store.loadScenarios();
      if (this.selectedName() === scenario.name && !this.selected()) {
        this.selectedName.set(null);
      }
      return { text: `Deleted the upload ${scenario.name}.`, credentialId: null };
    });
  }

  protected async playScenario(scenario: ScenarioView): Promise<void> {
    await this.action.run(`Playing ${scenario.name}…`, async () => {
      const run = await this.sandbox.runScenario(scenario.name, {});
      const credentialId = await this.findMirrored(run.credential.id);
      return {
        text: `Played ${scenario.name}: the sandbox made credential ${run.credential.id} and started run ${run.task_run.id}.${
          credentialId ? '' : ' It appears under Credentials once its webhook reaches the api.'
        }`,
        credentialId,
      };
    });
  }

  /** The sandbox's refusal, with its problems shown at their lines of `text` when they name fields. */
  private refusalAtLines(text: string, failure: SandboxFailure): SandboxFailure {
    const located = failure.problems
      .filter((p) => p.field !== null)
      .map((p) => ({ path: p.field ?? '', message: p.message }));
    if (located.length === 0) {
      return failure;
    }
    const problems = locateProblems(text, located);
    this.checked.set({ text, problems });
    return {
      ...failure,
      sentence: `The sandbox refused this scenario: ${
        problems.length === 1 ? 'one problem' : `${problems.length} problems`
      }, shown below at their lines.`,
    };
  }

  /** The api's id for a credential the sandbox made directly, once its webhook has arrived (a few seconds at most). */
  private async findMirrored(deckId: string): Promise<string | null> {
    for (let attempt = 0; attempt < 8; attempt++) {
      try {
        const found = (await this.sandbox.credentials({ q: deckId, limit: 5 })).data.find((c) => c.deck_id === deckId);
        if (found) {
          return found.id;
        }
      } catch {
        return null;
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    return null;
  }
}
