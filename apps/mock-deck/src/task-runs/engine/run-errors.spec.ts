import { RUN_ERRORS } from './run-errors';

describe('RUN_ERRORS.taskTimeout', () => {
  it('should word the limit as Deck does, in minutes, or in seconds when not whole minutes', () => {
    expect(RUN_ERRORS.taskTimeout(1800).message).toBe('Task execution exceeded the timeout of 30 minutes.');
    expect(RUN_ERRORS.taskTimeout(60).message).toBe('Task execution exceeded the timeout of 1 minute.');
    expect(RUN_ERRORS.taskTimeout(90).message).toBe('Task execution exceeded the timeout of 90 seconds.');
  });
});
