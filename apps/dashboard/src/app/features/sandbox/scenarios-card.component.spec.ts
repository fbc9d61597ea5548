import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture } from '@angular/core/testing';

import { createSandboxCard, settleCard } from '../../../testing/sandbox-card';
import { ScenariosCardComponent } from './scenarios-card.component';

const FILE = `name: payroll
runs:
  - steps:
      - wait: soon
      - interaction:
          type: mfa
          fields:
            - { name: code, label: Code }
          accept: { pin: ['1'] }
`;

describe(ScenariosCardComponent.name, () => {
  let fixture: ComponentFixture<ScenariosCardComponent>;
  let http: HttpTestingController;
  let root: HTMLElement;

  const settle = (): Promise<void> => settleCard(fixture);

  async function paste(text: string): Promise<void> {
    const area = root.querySelector<HTMLTextAreaElement>('[data-testid="scenario-upload-text"]')!;
    area.value = text;
    area.dispatchEvent(new Event('input'));
    await settle();
  }

  function submit(): void {
    root.querySelector<HTMLElement>('[data-testid="scenario-upload-submit"]')!.click();
  }

  function problems(): { line: string | null; text: string }[] {
    return [...root.querySelectorAll('[data-testid="scenario-problem"]')].map((el) => ({
      line: el.getAttribute('data-line'),
      text: el.textContent.replace(/\s+/g, ' ').trim(),
    }));
  }

  beforeEach(async () => {
    ({ fixture, http, root } = createSandboxCard(ScenariosCardComponent));
    await settle();
  });

  afterEach(() => http.verify());

  it("should send YAML as JSON and show the schema's problems at their lines", async () => {
    await paste(FILE);
    submit();
    await settle();

    const upload = http.expectOne({ method: 'POST', url: '/api/sandbox/scenarios' });
    expect(upload.request.body).toEqual({
      name: 'payroll',
      runs: [
        {
          steps: [
            { wait: 'soon' },
            { interaction: { type: 'mfa', fields: [{ name: 'code', label: 'Code' }], accept: { pin: ['1'] } } },
          ],
        },
      ],
    });
    upload.flush(
      {
        errors: [
          {
            type: 'request',
            code: 'input_invalid',
            field: 'runs[0].steps[0].wait',
            message: '`runs[0].steps[0].wait` must be a duration.',
          },
          {
            type: 'request',
            code: 'input_missing',
            field: 'runs[0].steps[1].interaction.message',
            message: '`runs[0].steps[1].interaction.message` is required.',
          },
          {
            type: 'request',
            code: 'input_invalid',
            field: 'runs[0].steps[1].interaction.accept.pin',
            message: '`runs[0].steps[1].interaction.accept.pin` names no field of this interaction.',
          },
        ],
        request_id: 'req_1',
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await settle();

    expect(root.querySelector('[data-testid="scenario-upload-result"]')!.textContent).toContain(
      'The sandbox refused this scenario: 3 problems, shown below at their lines.',
    );
    expect(problems()).toEqual([
      { line: '4', text: 'Line 4: runs[0].steps[0].wait must be a duration.' },
      {
        line: '5',
        text: 'Line 5: runs[0].steps[1].interaction.message is required. (not in the file; shown at the nearest part that is)',
      },
      { line: '9', text: 'Line 9: runs[0].steps[1].interaction.accept.pin names no field of this interaction.' },
    ]);
    const marked = [...root.querySelectorAll('.code-line.bad .code')].map((el) => el.textContent.trim());
    expect(marked).toEqual(['- wait: soon', '- interaction:', "accept: { pin: ['1'] }"]);
  });

  it('should refuse text that is not YAML at its line without sending it', async () => {
    await paste('name: a\nruns:\n  - steps: [\n');
    submit();
    await settle();

    http.expectNone('/api/sandbox/scenarios');
    expect(root.textContent).toContain('This is not valid YAML or JSON; nothing was sent.');
    expect(problems().length).toBeGreaterThan(0);
  });

  it('should say so when the upload is accepted', async () => {
    await paste('name: payroll\nruns: [{ steps: [{ complete: {} }] }]\n');
    submit();
    await settle();

    http
      .expectOne({ method: 'POST', url: '/api/sandbox/scenarios' })
      .flush({ object: 'scenario', name: 'payroll', description: '', origin: 'uploaded', spec: {} });
    await settle();
    http.expectOne('/api/sandbox/scenarios').flush({ object: 'list', data: [] });
    await settle();

    expect(root.querySelector('[data-testid="scenario-upload-result"]')!.textContent).toContain('Uploaded payroll');
  });
});
