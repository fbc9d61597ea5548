import { CATALOGUE, scriptByName, scriptFor } from './catalogue';
import { RUN_ERRORS } from './run-errors';

describe('scriptFor', () => {
  it('should pick the script named by the username or the local part of an e-mail', () => {
    expect(scriptFor('user_bad').name).toBe('user_bad');
    expect(scriptFor('User_MFA@Example.com').name).toBe('user_mfa');
  });

  it('should treat any other username, or none, as user_good', () => {
    expect(scriptFor('mark@example.com').name).toBe('user_good');
    expect(scriptFor(null).name).toBe('user_good');
  });

  it('should give user_mfa_<n> n MFA prompts in one run', () => {
    const script = scriptFor('user_mfa_3');
    expect(script.name).toBe('user_mfa_3');
    const prompts = script.runs[0].filter((step) => step.kind === 'interaction');
    expect(prompts).toHaveLength(3);
    expect(scriptByName('user_mfa_3').runs[0]).toEqual(script.runs[0]);
  });

  it('should list every row of the design catalogue, each ending in an outcome', () => {
    expect(CATALOGUE.map((s) => s.name)).toEqual([
      'user_good',
      'user_bad',
      'user_mfa',
      'user_question',
      'user_account',
      'user_mfa_question',
      'user_timeout',
      'user_source_down',
      'user_locked',
      'user_slow',
      'user_review',
    ]);
    for (const script of CATALOGUE) {
      for (const steps of script.runs) {
        expect(['complete', 'fail', 'review']).toContain(steps[steps.length - 1].kind);
      }
    }
  });
});

describe('RUN_ERRORS.taskTimeout', () => {
  it('should word the limit as Deck does, in minutes, or in seconds when not whole minutes', () => {
    expect(RUN_ERRORS.taskTimeout(1800).message).toBe('Task execution exceeded the timeout of 30 minutes.');
    expect(RUN_ERRORS.taskTimeout(60).message).toBe('Task execution exceeded the timeout of 1 minute.');
    expect(RUN_ERRORS.taskTimeout(90).message).toBe('Task execution exceeded the timeout of 90 seconds.');
  });
});
