import type { SourceView } from '@app/contracts';

import type { ApiProblem } from '../../core/http/api-problem';
import { LINK, prompt } from '../../../testing/connect';
import { aCredential, aCredentialDetail, aRun, EXAMPLE_BANK } from '../../../testing/views';
import {
  ConnectEvent,
  ConnectState,
  connectReducer,
  initialConnectState,
  shownPrompt,
  stepOf,
} from './connect.machine';

const sources: SourceView[] = [EXAMPLE_BANK];

function problem(code: ApiProblem['code'], status = 400, message = ''): ApiProblem {
  return { status, code, message, details: [] };
}

function play(events: ConnectEvent[], from: ConnectState = initialConnectState()): ConnectState {
  return events.reduce(connectReducer, from);
}

const loaded: ConnectEvent = { type: 'link_loaded', link: LINK, sources, credentials: [] };
const submitted: ConnectEvent = { type: 'submit', login: { source_id: 'src_bank', login: 'user_mfa' }, key: 'k1' };
/** Through the form, saved, and the verification run started. */
const following: ConnectEvent[] = [
  loaded,
  submitted,
  { type: 'saved', credential: aCredential() },
  { type: 'verify_started', run: aRun() },
];

describe('connect.machine', () => {
  describe('loading the link', () => {
    it('starts in loading', () => {
      expect(initialConnectState().name).toBe('loading');
    });

    it('goes to the form when the link is good and the end user has no credentials', () => {
      const state = play([loaded]);
      expect(state.name).toBe('details');
      expect(state.link).toEqual(LINK);
      expect(state.mode).toBe('create');
      expect(stepOf(state.name)).toBe(1);
    });

    it('lists only the end user’s own credentials when there are some', () => {
      const mine = aCredential({ status: 'verified' });
      const other = aCredential({ id: 'c9', external_id: 'someone_else' });
      const state = play([{ type: 'link_loaded', link: LINK, sources, credentials: [mine, other] }]);
      expect(state.name).toBe('overview');
      expect(state.existing.map((c) => c.id)).toEqual(['c1']);
    });

    it('shows the expired page when the link is invalid or expired', () => {
      const state = play([{ type: 'link_failed', problem: problem('link_invalid', 401) }]);
      expect(state.name).toBe('expired');
      expect(state.expiredReason).toBe('expired');
    });

    it('says the link is missing when the page was opened without one', () => {
      expect(play([{ type: 'link_missing' }])).toMatchObject({ name: 'expired', expiredReason: 'missing' });
    });

    it('explains an operator session in the way (the api answers 404 for operators)', () => {
      const state = play([{ type: 'link_failed', problem: problem('not_found', 404) }]);
      expect(state).toMatchObject({ name: 'expired', expiredReason: 'operator_session' });
    });

    it('offers to try again after a network error, and loads again', () => {
      const failed = play([{ type: 'link_failed', problem: problem('network', 0) }]);
      expect(failed).toMatchObject({ name: 'error', retry: 'load' });
      expect(connectReducer(failed, { type: 'retry' }).name).toBe('loading');
    });
  });

  describe('saving the login', () => {
    it('submit → saving → waiting, with a verification owed', () => {
      const saving = play([loaded, submitted]);
      expect(saving.name).toBe('saving');
      expect(saving.submission).toEqual({ source_id: 'src_bank', login: 'user_mfa', key: 'k1' });

      const waiting = connectReducer(saving, { type: 'saved', credential: aCredential() });
      expect(waiting.name).toBe('waiting');
      expect(waiting.verifying).toBe(true);
      expect(waiting.credential?.id).toBe('c1');
      expect(waiting.existing.map((c) => c.id)).toEqual(['c1']);
      expect(stepOf(waiting.name)).toBe(2);
    });

    it('ignores a second submit while saving (a double click makes one request)', () => {
      const saving = play([loaded, submitted]);
      expect(connectReducer(saving, { ...submitted, key: 'k2' })).toBe(saving);
    });

    it('follows the run once the verification has started', () => {
      const state = play(following);
      expect(state).toMatchObject({ name: 'waiting', verifying: false, runId: 'r1' });
    });

    it('returns to the form with the problem when the save is refused', () => {
      const state = play([loaded, submitted, { type: 'save_failed', problem: problem('rate_limited', 429) }]);
      expect(state.name).toBe('details');
      expect(state.problem?.code).toBe('rate_limited');
      expect(state.submission).toBeNull();
    });

    it('resends with the same Idempotency-Key after a lost answer, a new one for other details', () => {
      const lost = play([loaded, submitted, { type: 'save_failed', problem: problem('network', 0) }]);
      expect(connectReducer(lost, { ...submitted, key: 'k2' }).submission?.key).toBe('k1');
      const other: ConnectEvent = { type: 'submit', login: { source_id: 'src_bank', login: 'user_good' }, key: 'k3' };
      expect(connectReducer(lost, other).submission?.key).toBe('k3');
    });

    it('shows the expired page when the link dies mid-flow', () => {
      const state = play([loaded, submitted, { type: 'save_failed', problem: problem('link_invalid', 401) }]);
      expect(state.name).toBe('expired');
    });

    it('says so when the verification cannot be started, and starts it again on retry', () => {
      const state = play([loaded, submitted, { type: 'saved', credential: aCredential() }]);
      const failed = connectReducer(state, { type: 'verify_failed', problem: problem('rate_limited', 429) });
      expect(failed).toMatchObject({ name: 'error', retry: 'verify', verifying: false });
      expect(connectReducer(failed, { type: 'retry' })).toMatchObject({ name: 'waiting', verifying: true });
    });
  });

  describe('prompts', () => {
    it('interaction required → prompt → answering → waiting → wrong answer re-prompts → verified', () => {
      const asked = play([
        ...following,
        { type: 'run_changed', run: aRun({ status: 'interaction_required', updated_at: '2026-12-01T09:00:02.000Z' }) },
        { type: 'interaction_changed', interaction: prompt('p1', 'Enter the 6-digit code.') },
      ]);
      expect(asked.name).toBe('prompt');
      expect(asked.retryPrompt).toBe(false);
      expect(shownPrompt(asked)?.prompt.message).toBe('Enter the 6-digit code.');

      const answering = connectReducer(asked, { type: 'answer' });
      expect(answering.name).toBe('answering');
      // The prompt closes while the answer is on its way: still answering.
      const closing = connectReducer(answering, {
        type: 'interaction_changed',
        interaction: prompt('p1', 'Enter the 6-digit code.', { state: 'answered' }),
      });
      expect(closing.name).toBe('answering');

      const answered = connectReducer(closing, {
        type: 'answered',
        interaction: prompt('p1', 'Enter the 6-digit code.', { state: 'answered' }),
      });
      expect(answered.name).toBe('waiting');
      expect(answered.answered?.id).toBe('p1');

      const reasked = connectReducer(answered, {
        type: 'interaction_changed',
        interaction: prompt('p2', 'That code was not accepted. Enter the code.'),
      });
      expect(reasked.name).toBe('prompt');
      expect(reasked.retryPrompt).toBe(true);
      expect(shownPrompt(reasked)?.id).toBe('p2');

      const right = play(
        [
          { type: 'answer' },
          { type: 'answered', interaction: prompt('p2', 'That code was not accepted.', { state: 'answered' }) },
          {
            type: 'run_changed',
            run: aRun({ status: 'completed', result: 'success', updated_at: '2026-12-01T09:00:09Z' }),
          },
        ],
        reasked,
      );
      expect(right.name).toBe('verified');
      expect(stepOf(right.name)).toBe(3);
    });

    it('a second wrong answer is still a retry', () => {
      const state = play([
        ...following,
        { type: 'interaction_changed', interaction: prompt('p1', 'Enter the code.') },
        { type: 'answer' },
        { type: 'answered', interaction: prompt('p1', 'Enter the code.', { state: 'answered' }) },
        { type: 'interaction_changed', interaction: prompt('p2', 'Not accepted. Enter the code.') },
        { type: 'answer' },
        { type: 'answered', interaction: prompt('p2', 'Not accepted. Enter the code.', { state: 'answered' }) },
        { type: 'interaction_changed', interaction: prompt('p3', 'Not accepted. Enter the code.') },
      ]);
      expect(state).toMatchObject({ name: 'prompt', promptId: 'p3', retryPrompt: true });
    });

    it('another round of the same question, or a different question, is not a retry', () => {
      const firstRound = play([
        ...following,
        { type: 'interaction_changed', interaction: prompt('p1', 'Enter the code.') },
        { type: 'answer' },
        { type: 'answered', interaction: prompt('p1', 'Enter the code.', { state: 'answered' }) },
      ]);
      const round2 = connectReducer(firstRound, {
        type: 'interaction_changed',
        interaction: prompt('p2', 'Enter the code.'),
      });
      expect(round2).toMatchObject({ name: 'prompt', retryPrompt: false });

      const question = connectReducer(firstRound, {
        type: 'interaction_changed',
        interaction: prompt('p2', 'Your first pet?', {}, 'security_question'),
      });
      expect(question).toMatchObject({ name: 'prompt', retryPrompt: false });
    });

    it('verifies on the credential’s own change too', () => {
      const state = play([
        ...following,
        {
          type: 'credential_changed',
          credential: aCredential({ status: 'verified', updated_at: '2026-12-01T09:00:05.000Z' }),
        },
      ]);
      expect(state.name).toBe('verified');
    });

    it('goes back to the prompt with the problem when the answer is refused', () => {
      const state = play([
        ...following,
        { type: 'interaction_changed', interaction: prompt('p1', 'Enter the code.') },
        { type: 'answer' },
        { type: 'answer_failed', problem: problem('validation_failed') },
      ]);
      expect(state).toMatchObject({ name: 'prompt', promptId: 'p1' });
      expect(state.problem?.code).toBe('validation_failed');
    });

    it('waits for what comes next when the prompt was already answered', () => {
      const state = play([
        ...following,
        { type: 'interaction_changed', interaction: prompt('p1', 'Enter the code.') },
        { type: 'answer' },
        { type: 'interaction_changed', interaction: prompt('p1', 'Enter the code.', { state: 'answered' }) },
        { type: 'answer_failed', problem: problem('conflict', 409) },
      ]);
      expect(state.name).toBe('waiting');
    });

    it('a prompt nobody answered ends in timed_out; try again starts a new check', () => {
      const state = play([
        ...following,
        { type: 'interaction_changed', interaction: prompt('p1', 'Enter the code.') },
        { type: 'interaction_changed', interaction: prompt('p1', 'Enter the code.', { state: 'expired' }) },
        {
          type: 'run_changed',
          run: aRun({
            status: 'failed',
            errors: [{ type: 'interaction', code: 'interaction_timeout', message: 'No answer in time.' }],
            updated_at: '2026-12-01T09:10:00.000Z',
          }),
        },
      ]);
      expect(state.name).toBe('timed_out');
      expect(connectReducer(state, { type: 'retry' })).toMatchObject({ name: 'waiting', verifying: true, runId: null });
    });

    it('a poll brings a missed prompt, and keeps the prompt on screen as it is', () => {
      const waiting = play(following);
      const detail = aCredentialDetail({
        runs: [aRun({ status: 'interaction_required', updated_at: '2026-12-01T09:00:02.000Z' })],
        interactions: [prompt('p1', 'Enter the code.')],
      });
      const asked = connectReducer(waiting, { type: 'detail_loaded', detail });
      expect(asked.name).toBe('prompt');
      const again = connectReducer(asked, {
        type: 'detail_loaded',
        detail: { ...detail, interactions: [prompt('p1', 'Enter the code.')] },
      });
      expect(shownPrompt(again)).toBe(shownPrompt(asked));
      expect(again.name).toBe('prompt');
    });
  });

  describe('rejected', () => {
    const rejected = play([
      ...following,
      {
        type: 'run_changed',
        run: aRun({
          status: 'failed',
          errors: [{ type: 'auth', code: 'auth_invalid', message: 'Wrong password.' }],
          updated_at: '2026-12-01T09:00:03.000Z',
        }),
      },
    ]);

    it('a run failed with an auth error → rejected, with the form to update the details', () => {
      expect(rejected).toMatchObject({ name: 'rejected', mode: 'update' });
      expect(stepOf(rejected.name)).toBe(1);
    });

    it('the credential going invalid → rejected', () => {
      const state = play([
        ...following,
        {
          type: 'credential_changed',
          credential: aCredential({ status: 'invalid', updated_at: '2026-12-01T09:00:03.000Z' }),
        },
      ]);
      expect(state.name).toBe('rejected');
    });

    it('update → saving → waiting → verified', () => {
      const saving = connectReducer(rejected, {
        type: 'submit',
        login: { source_id: 'src_bank', login: 'user_good' },
        key: 'k9',
      });
      expect(saving).toMatchObject({ name: 'saving', mode: 'update' });
      const waiting = play(
        [
          { type: 'saved', credential: aCredential({ updated_at: '2026-12-01T09:01:00.000Z' }) },
          { type: 'verify_started', run: aRun({ id: 'r2', updated_at: '2026-12-01T09:01:01.000Z' }) },
        ],
        saving,
      );
      expect(waiting).toMatchObject({ name: 'waiting', runId: 'r2' });
      const verified = connectReducer(waiting, {
        type: 'run_changed',
        run: aRun({ id: 'r2', status: 'completed', result: 'success', updated_at: '2026-12-01T09:01:05.000Z' }),
      });
      expect(verified.name).toBe('verified');
    });

    it('a failed update keeps the update form with the problem', () => {
      const state = play(
        [
          { type: 'submit', login: { source_id: 'src_bank', login: 'user_good' }, key: 'k9' },
          { type: 'save_failed', problem: problem('rate_limited', 429) },
        ],
        rejected,
      );
      expect(state).toMatchObject({ name: 'rejected', mode: 'update' });
      expect(state.problem?.code).toBe('rate_limited');
    });
  });

  describe('source unavailable, other failures, deleted', () => {
    it('a run failed with a source error → unavailable; try again re-verifies', () => {
      const state = play([
        ...following,
        {
          type: 'run_changed',
          run: aRun({
            status: 'failed',
            errors: [{ type: 'source', code: 'source_not_available', message: 'Down.' }],
            updated_at: '2026-12-01T09:00:03.000Z',
          }),
        },
      ]);
      expect(state.name).toBe('unavailable');
      expect(connectReducer(state, { type: 'retry' })).toMatchObject({ name: 'waiting', verifying: true });
    });

    it('too many wrong answers or a canceled run → failed', () => {
      const tooMany = play([
        ...following,
        {
          type: 'run_changed',
          run: aRun({
            status: 'failed',
            errors: [{ type: 'interaction', code: 'interaction_invalid', message: 'Too many.' }],
            updated_at: '2026-12-01T09:00:03.000Z',
          }),
        },
      ]);
      expect(tooMany.name).toBe('failed');
      const canceled = play([
        ...following,
        { type: 'run_changed', run: aRun({ status: 'canceled', updated_at: '2026-12-01T09:00:03.000Z' }) },
      ]);
      expect(canceled.name).toBe('failed');
    });

    it('the credential deleted → deleted; connect again starts over', () => {
      const state = play([
        ...following,
        {
          type: 'credential_changed',
          credential: aCredential({ status: 'deleted', updated_at: '2026-12-01T09:00:03.000Z' }),
        },
      ]);
      expect(state.name).toBe('deleted');
      const again = connectReducer(state, { type: 'connect_new' });
      expect(again).toMatchObject({ name: 'details', mode: 'create', credential: null, runId: null });
    });

    it('a terminal run is not taken back by an older poll', () => {
      const done = play([
        ...following,
        {
          type: 'run_changed',
          run: aRun({ status: 'failed', errors: [{ type: 'source', code: 'x', message: 'x' }], updated_at: 'z' }),
        },
      ]);
      const polled = connectReducer(done, {
        type: 'detail_loaded',
        detail: aCredentialDetail({ runs: [aRun({ status: 'running' })] }),
      });
      expect(polled.name).toBe('unavailable');
    });
  });

  describe('what does not belong to the flow', () => {
    it('ignores changes of another credential and older copies of this one', () => {
      const state = play(following);
      const other = connectReducer(state, {
        type: 'credential_changed',
        credential: aCredential({ id: 'c2', status: 'verified', updated_at: '2026-12-01T09:05:00.000Z' }),
      });
      expect(other.name).toBe('waiting');
      const stale = connectReducer(state, {
        type: 'credential_changed',
        credential: aCredential({ status: 'invalid', updated_at: '2026-12-01T08:00:00.000Z' }),
      });
      expect(stale.name).toBe('waiting');
    });

    it('never lists another end user’s credential', () => {
      const state = play([
        loaded,
        { type: 'credential_changed', credential: aCredential({ id: 'c7', external_id: 'someone_else' }) },
      ]);
      expect(state.existing).toEqual([]);
    });
  });

  describe('the accounts overview', () => {
    const overview = play([
      {
        type: 'link_loaded',
        link: LINK,
        sources,
        credentials: [aCredential({ id: 'c1', status: 'invalid' }), aCredential({ id: 'c2', status: 'unverified' })],
      },
    ]);

    it('fix a rejected one → rejected for that credential', () => {
      const state = connectReducer(overview, { type: 'fix', credential: overview.existing[0] });
      expect(state).toMatchObject({ name: 'rejected', mode: 'update' });
      expect(state.credential?.id).toBe('c1');
    });

    it('check an unverified one → waiting with a verification owed', () => {
      const state = connectReducer(overview, { type: 'check_again', credential: overview.existing[1] });
      expect(state).toMatchObject({ name: 'waiting', verifying: true });
      expect(state.credential?.id).toBe('c2');
    });

    it('connect another → the empty form; back to the accounts', () => {
      const form = connectReducer(overview, { type: 'connect_new' });
      expect(form).toMatchObject({ name: 'details', mode: 'create', credential: null });
      expect(connectReducer(form, { type: 'show_accounts' }).name).toBe('overview');
    });

    it('keeps the list up to date from live changes', () => {
      const state = connectReducer(overview, {
        type: 'credential_changed',
        credential: aCredential({ id: 'c2', status: 'verified', updated_at: '2026-12-01T09:30:00.000Z' }),
      });
      expect(state.name).toBe('overview');
      expect(state.existing.find((c) => c.id === 'c2')?.status).toBe('verified');
    });
  });
});
