import type { AuditEntryView, OperatorView } from '@app/contracts';

/** How an audit entry names its target: as text, mono for ids, with a link where the console has a page for it. */
export interface AuditTarget {
  text: string;
  mono: boolean;
  link: string[] | null;
}

const ACTIONS: Record<string, string> = {
  'credential.created': 'created a credential',
  'credential.updated': "updated a credential's login details",
  'credential.deleted': 'deleted a credential',
  'credential.verify': 'asked Deck to verify a credential',
  'interaction.answered': 'answered a prompt',
  'link.created': 'created a connect link',
  'operator.login': 'signed in',
  'operator.created': 'invited an operator',
  'operator.updated': 'changed an operator',
  'operator.deleted': 'removed an operator',
  'sandbox.request': 'changed the sandbox',
};

const MAX_VALUE_LENGTH = 80;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * Operator ids to e-mails: the current operators, and those the loaded entries
 * name on creation or removal (so a removed operator's old entries still read).
 */
export function operatorEmails(
  operators: readonly OperatorView[],
  entries: readonly AuditEntryView[],
): Map<string, string> {
  const emails = new Map<string, string>();
  for (const entry of entries) {
    const email = text(entry.detail?.['email']);
    if (entry.target && email && (entry.action === 'operator.created' || entry.action === 'operator.deleted')) {
      emails.set(entry.target, email);
    }
  }
  for (const operator of operators) {
    emails.set(operator.id, operator.email);
  }
  return emails;
}

/** An operator's e-mail, "End user <external_id>", or "System". */
export function formatActor(actor: string, emails: ReadonlyMap<string, string>): string {
  if (actor === 'system') {
    return 'System';
  }
  if (actor.startsWith('end_user:')) {
    return `End user ${actor.slice('end_user:'.length)}`;
  }
  return emails.get(actor) ?? `A removed operator (${actor.slice(0, 8)})`;
}

/** What was done, in words: `credential.create` reads "created a credential". */
export function describeAction(action: string, detail: AuditEntryView['detail'] = null): string {
  if (action === 'operator.updated' && detail) {
    const role = isRecord(detail['role']) ? text(detail['role']['to']) : null;
    const password = detail['password_changed'] === true;
    if (role && password) {
      return `made an operator ${role} and reset their password`;
    }
    if (role) {
      return `made an operator ${role}`;
    }
    if (password) {
      return "reset an operator's password";
    }
  }
  return ACTIONS[action] ?? action.replace(/[._]/g, ' ');
}

/** The object an entry is about; a connect link's target is a token hash, so its end user is named instead. */
export function formatTarget(entry: AuditEntryView, emails: ReadonlyMap<string, string>): AuditTarget | null {
  const detail = entry.detail ?? {};
  const [object] = entry.action.split('.');
  if (object === 'link') {
    const externalId = text(detail['external_id']);
    return externalId ? { text: `End user ${externalId}`, mono: false, link: null } : null;
  }
  if (object === 'sandbox') {
    const method = text(detail['method']);
    const path = text(detail['path']);
    return method && path ? { text: `${method} ${path}`, mono: true, link: null } : null;
  }
  // A sign-in's target is the operator who signed in, already named as its actor.
  if (!entry.target || entry.action === 'operator.login') {
    return null;
  }
  if (object === 'operator') {
    const email = emails.get(entry.target) ?? text(detail['email']);
    return email ? { text: email, mono: false, link: null } : { text: entry.target, mono: true, link: null };
  }
  if (object === 'credential') {
    return { text: text(detail['deck_id']) ?? entry.target, mono: true, link: ['/credentials', entry.target] };
  }
  return { text: entry.target, mono: true, link: null };
}

function formatValue(value: unknown): string {
  let out: string;
  if (Array.isArray(value)) {
    out = value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item))).join(',');
  } else if (isRecord(value) && 'from' in value && 'to' in value && Object.keys(value).length === 2) {
    out = `${formatValue(value['from'])}→${formatValue(value['to'])}`;
  } else if (typeof value === 'string') {
    out = value;
  } else {
    out = value === undefined ? '' : JSON.stringify(value);
  }
  return out.length > MAX_VALUE_LENGTH ? `${out.slice(0, MAX_VALUE_LENGTH - 1)}…` : out;
}

/** Detail keys an action's target already shows. */
const SHOWN_AS_TARGET: Record<string, string[]> = {
  link: ['external_id'],
  operator: ['email'],
  sandbox: ['method', 'path'],
};

/**
 * The detail as compact `key=value` text, without what the target already
 * says; the api records no secrets, so the rest is all shown.
 */
export function formatDetail(detail: AuditEntryView['detail'], action = ''): string {
  if (!detail) {
    return '';
  }
  const shown = new Set(SHOWN_AS_TARGET[action.split('.')[0]] ?? []);
  return Object.entries(detail)
    .filter(([key]) => !shown.has(key))
    .map(([key, value]) => `${key}=${formatValue(value)}`)
    .join('  ');
}
