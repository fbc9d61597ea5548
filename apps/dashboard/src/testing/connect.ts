import type { InteractionView, LinkContextView } from '@app/contracts';

import { anInteraction } from './views';

/*
 * The connect page's specs (the page and its state machine) share one end
 * user and the prompts their login meets. Test code only.
 */

/** The link end user `user_42` opened: any source. */
export const LINK: LinkContextView = {
  external_id: 'user_42',
  source_id: null,
  expires_at: '2026-12-01T10:00:00.000Z',
};

/** Prompt `id` (`p1`, `p2`, …) of run r1 asking `message`; prompt n opens n seconds after the credential. */
export function prompt(
  id: string,
  message: string,
  patch: Partial<InteractionView> = {},
  type = 'mfa',
): InteractionView {
  return anInteraction({
    id,
    prompt: { type, message, fields: [{ name: 'code', type: 'string', label: 'Verification code' }] },
    opened_at: `2026-12-01T09:00:0${id.slice(-1)}.000Z`,
    ...patch,
  });
}
