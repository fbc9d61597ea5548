import type { DeckInteraction } from '@app/deck';

import { RUN_ERRORS } from './run-errors';
import type { RunScript, ScriptStep } from './run-script';

const MFA: DeckInteraction = {
  type: 'mfa',
  message: 'Enter the 6-digit code sent to your phone.',
  fields: [{ name: 'code', type: 'string', label: 'Verification code' }],
};

const mfaStep: ScriptStep = {
  kind: 'interaction',
  interaction: MFA,
  accept: { code: ['123456'] },
  max_attempts: 3,
  retry_message: 'That code was not accepted. Enter the 6-digit code sent to your phone.',
};

const questionStep: ScriptStep = {
  kind: 'interaction',
  interaction: {
    type: 'security_question',
    message: 'What was the name of your first pet?',
    fields: [{ name: 'answer', type: 'string', label: 'Answer' }],
  },
};

const accountStep: ScriptStep = {
  kind: 'interaction',
  interaction: {
    type: 'account_selection',
    message: 'Choose an account: acc_checking (Everyday Checking ••1234) or acc_savings (Savings ••9876).',
    fields: [{ name: 'account_id', type: 'string', label: 'Account' }],
  },
  accept: { account_id: ['acc_checking', 'acc_savings'] },
  max_attempts: 3,
  retry_message: 'Unknown account. Choose acc_checking or acc_savings.',
};

const work: ScriptStep = { kind: 'wait' };
const success: ScriptStep = { kind: 'complete', result: 'success' };

/** `user_mfa_<n>`: n MFA rounds in a row, each a fresh prompt. */
export function mfaRounds(rounds: number): RunScript {
  const steps: ScriptStep[] = [work];
  for (let round = 1; round <= rounds; round++) {
    steps.push({
      ...mfaStep,
      interaction: { ...MFA, message: `Enter the 6-digit code sent to your phone (step ${round} of ${rounds}).` },
    } as ScriptStep);
  }
  return {
    name: `user_mfa_${rounds}`,
    description: `${rounds} MFA rounds in a row (code 123456).`,
    runs: [[...steps, work, success]],
  };
}

/** The built-in sources: the username picks one (design.md's catalogue). */
export const CATALOGUE: readonly RunScript[] = [
  { name: 'user_good', description: 'Logs in; the credential becomes verified.', runs: [[work, work, success]] },
  {
    name: 'user_bad',
    description: 'The source rejects the login: auth error, credential invalid.',
    runs: [[work, { kind: 'fail', error: RUN_ERRORS.authInvalid, credential: 'invalid' }]],
  },
  {
    name: 'user_mfa',
    description: 'Asks for a 6-digit code (123456); a wrong code re-prompts, three wrong codes fail the run.',
    runs: [[work, mfaStep, work, success]],
  },
  {
    name: 'user_question',
    description: 'A security question (any answer), then success.',
    runs: [[work, questionStep, work, success]],
  },
  {
    name: 'user_account',
    description: 'An account-selection prompt (acc_checking or acc_savings), then success.',
    runs: [[work, accountStep, work, success]],
  },
  {
    name: 'user_mfa_question',
    description: 'MFA (123456), then a security question, in one run.',
    runs: [[work, mfaStep, work, questionStep, work, success]],
  },
  {
    name: 'user_timeout',
    description: 'An MFA prompt with a 30-second window: unanswered, the run fails with interaction_timeout.',
    runs: [[work, { ...mfaStep, window_ms: 30_000 }, work, success]],
  },
  {
    name: 'user_source_down',
    description: 'The source is down: source error, the credential keeps its status.',
    runs: [[work, { kind: 'fail', error: RUN_ERRORS.sourceNotAvailable, credential: 'unchanged' }]],
  },
  {
    name: 'user_locked',
    description: 'Verifies on its first run, then is rejected on every later run (a credential that breaks later).',
    runs: [
      [work, work, success],
      [work, { kind: 'fail', error: RUN_ERRORS.authInvalid, credential: 'invalid' }],
    ],
  },
  {
    name: 'user_slow',
    description: 'Works for 10 minutes before succeeding: long enough to be cancelled.',
    runs: [[work, { kind: 'wait', ms: 10 * 60_000 }, success]],
  },
  {
    name: 'user_review',
    description: 'Stops in review_required.',
    runs: [[work, work, { kind: 'review' }]],
  },
];

/**
 * The script for a username: the local part of an e-mail counts, `user_mfa_<n>`
 * is n rounds, and anything unknown behaves like `user_good`.
 */
export function scriptFor(username: string | null): RunScript {
  const local = (username ?? '').split('@')[0].trim().toLowerCase();
  const rounds = /^user_mfa_(\d{1,2})$/.exec(local);
  if (rounds && Number(rounds[1]) >= 1) {
    return mfaRounds(Number(rounds[1]));
  }
  return CATALOGUE.find((script) => script.name === local) ?? CATALOGUE[0];
}

export function scriptByName(name: string): RunScript {
  const rounds = /^user_mfa_(\d{1,2})$/.exec(name);
  if (rounds) {
    return mfaRounds(Number(rounds[1]));
  }
  return CATALOGUE.find((script) => script.name === name) ?? CATALOGUE[0];
}
