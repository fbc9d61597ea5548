import type { InteractionView, ReceivedEventView, TaskRunView } from '@app/contracts';

import { ApiError } from '../common/api-error';
import { escapeLike } from '../mirror/credential-lists';
import { buildTimeline } from './credential-timeline';
import { decodeCursor, encodeCursor, filterDigest } from './list-cursor';

describe('credential list helpers', () => {
  describe(escapeLike.name, () => {
    it('should make LIKE wildcards and the escape character match themselves', () => {
      expect(escapeLike('50%_off\\')).toBe('50\\%\\_off\\\\');
      expect(escapeLike('plain text')).toBe('plain text');
    });
  });

  describe('cursors', () => {
    const digest = filterDigest([['verified'], null, null, 'acme', null]);

    it('should round-trip a position for the same sort and filters', () => {
      const cursor = encodeCursor('-created_at', digest, { value: '2026-01-01T00:00:00.000Z', id: 'abc' });
      expect(decodeCursor(cursor, '-created_at', digest)).toEqual({ value: '2026-01-01T00:00:00.000Z', id: 'abc' });
    });

    it('should refuse a cursor from another sort, other filters, or none of ours', () => {
      const cursor = encodeCursor('-created_at', digest, { value: 'v', id: 'i' });
      expect(() => decodeCursor(cursor, 'created_at', digest)).toThrow(ApiError);
      expect(() => decodeCursor(cursor, '-created_at', filterDigest([]))).toThrow(ApiError);
      expect(() => decodeCursor('garbage', '-created_at', digest)).toThrow(ApiError);
      expect(() => decodeCursor(Buffer.from('[1,2,3,4]').toString('base64url'), '-created_at', digest)).toThrow(
        ApiError,
      );
    });
  });

  describe(buildTimeline.name, () => {
    it('should merge events, runs and prompts newest first, with an entry for each end', () => {
      const event = {
        id: 'evt_1',
        type: 'credential.created',
        created_at: '2026-01-01T00:00:01.000Z',
        outcome: 'applied',
        note: null,
        via: 'webhook',
        duplicates: 1,
      } as ReceivedEventView;
      const run = {
        id: 'run-1',
        deck_id: 'trun_1',
        task_id: 'task_1',
        status: 'failed',
        result: null,
        errors: [{ type: 'auth', code: 'auth_invalid', message: 'no' }],
        created_at: '2026-01-01T00:00:02.000Z',
        finished_at: '2026-01-01T00:00:05.000Z',
      } as TaskRunView;
      const interaction = {
        id: 'int-1',
        prompt: { type: 'mfa', message: 'Enter the code', fields: [] },
        state: 'answered',
        answered_by: 'op-1',
        opened_at: '2026-01-01T00:00:03.000Z',
        closed_at: '2026-01-01T00:00:04.000Z',
      } as unknown as InteractionView;

      const timeline = buildTimeline([event], [run], [interaction]);

      expect(timeline.map((t) => t.type)).toEqual([
        'run.failed',
        'interaction.answered',
        'interaction.opened',
        'run.started',
        'credential.created',
      ]);
      expect(timeline[0].summary).toContain('auth/auth_invalid');
      expect(timeline[1].summary).toContain('op-1');
      expect(timeline[4].summary).toContain('1 duplicate');
    });
  });
});
