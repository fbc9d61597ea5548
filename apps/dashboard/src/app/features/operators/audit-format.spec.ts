import type { AuditEntryView, OperatorView } from '@app/contracts';

import { describeAction, formatActor, formatDetail, formatTarget, operatorEmails } from './audit-format';

function entry(overrides: Partial<AuditEntryView>): AuditEntryView {
  return {
    seq: 1,
    at: '2026-01-01T10:00:00.000Z',
    actor: 'op-1',
    action: 'x',
    target: null,
    detail: null,
    ...overrides,
  };
}

const operators: OperatorView[] = [
  { id: 'op-1', email: 'admin@deckhand.local', role: 'admin', created_at: '2026-01-01T00:00:00.000Z' },
];

describe('audit actor formatting', () => {
  const emails = operatorEmails(operators, []);

  it('should name an operator by e-mail', () => {
    expect(formatActor('op-1', emails)).toBe('admin@deckhand.local');
  });

  it('should name an end user by external id, and the system as such', () => {
    expect(formatActor('end_user:customer-42', emails)).toBe('End user customer-42');
    expect(formatActor('system', emails)).toBe('System');
  });

  it('should name a removed operator by the e-mail its removal recorded', () => {
    const withRemoval = operatorEmails(operators, [
      entry({ action: 'operator.deleted', target: 'op-9', detail: { email: 'gone@deckhand.local', role: 'viewer' } }),
    ]);

    expect(formatActor('op-9', withRemoval)).toBe('gone@deckhand.local');
    expect(formatActor('0f9e8d7c-1234', emails)).toBe('A removed operator (0f9e8d7c)');
  });
});

describe('audit action formatting', () => {
  it.each([
    ['credential.created', 'created a credential'],
    ['credential.updated', "updated a credential's login details"],
    ['credential.deleted', 'deleted a credential'],
    ['credential.verify', 'asked Deck to verify a credential'],
    ['interaction.answered', 'answered a prompt'],
    ['link.created', 'created a connect link'],
    ['operator.login', 'signed in'],
    ['operator.created', 'invited an operator'],
    ['operator.deleted', 'removed an operator'],
    ['sandbox.request', 'changed the sandbox'],
  ])('should say %s as "%s"', (action, words) => {
    expect(describeAction(action)).toBe(words);
  });

  it('should say what an operator change was', () => {
    expect(describeAction('operator.updated', { role: { from: 'viewer', to: 'admin' } })).toBe(
      'made an operator admin',
    );
    expect(describeAction('operator.updated', { password_changed: true })).toBe("reset an operator's password");
    expect(describeAction('operator.updated', { role: { from: 'admin', to: 'viewer' }, password_changed: true })).toBe(
      'made an operator viewer and reset their password',
    );
  });

  it('should still read an action it does not know', () => {
    expect(describeAction('source.re_synced')).toBe('source re synced');
  });
});

describe('audit target and detail formatting', () => {
  const emails = operatorEmails(operators, []);

  it('should link a credential to its page', () => {
    const target = formatTarget(
      entry({ action: 'credential.created', target: 'c-1', detail: { deck_id: 'cred_1' } }),
      emails,
    );

    expect(target).toEqual({ text: 'cred_1', mono: true, link: ['/credentials', 'c-1'] });
  });

  it('should name an operator target by e-mail and a connect link by its end user, never its token hash', () => {
    expect(formatTarget(entry({ action: 'operator.updated', target: 'op-1' }), emails)?.text).toBe(
      'admin@deckhand.local',
    );
    const link = formatTarget(
      entry({ action: 'link.created', target: 'a1b2c3hash', detail: { external_id: 'u-7' } }),
      emails,
    );
    expect(link?.text).toBe('End user u-7');
  });

  it('should not repeat the operator who signed in as the target', () => {
    expect(formatTarget(entry({ action: 'operator.login', target: 'op-1' }), emails)).toBeNull();
  });

  it('should show the detail as compact key=value text', () => {
    expect(formatDetail({ role: { from: 'viewer', to: 'operator' }, password_changed: true })).toBe(
      'role=viewer→operator  password_changed=true',
    );
    expect(formatDetail({ fields: ['code'], task_run_id: 'run_1', source_id: null })).toBe(
      'fields=code  task_run_id=run_1  source_id=null',
    );
    expect(formatDetail(null)).toBe('');
  });

  it('should leave out of the detail what the target already shows', () => {
    const detail = { method: 'POST', path: '/sandbox/trigger', status: 201 };

    expect(formatDetail(detail, 'sandbox.request')).toBe('status=201');
    expect(formatDetail({ email: 'a@b.c', role: 'viewer' }, 'operator.created')).toBe('role=viewer');
  });

  it('should shorten a long value', () => {
    const text = formatDetail({ note: 'x'.repeat(200) });

    expect(text.length).toBeLessThan(90);
    expect(text.endsWith('…')).toBe(true);
  });
});
