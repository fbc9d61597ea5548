import { HttpErrorResponse } from '@angular/common/http';

import { ActionState } from './action-state';

/** What the api passes through when the sandbox refuses. */
const refusal = new HttpErrorResponse({
  status: 404,
  error: { errors: [{ type: 'request', code: 'scenario_not_found', message: 'No scenario named `x` exists.' }] },
});

describe(ActionState.name, () => {
  it('should say what it is doing while the work runs, then keep its answer', async () => {
    const action = new ActionState();
    let finish!: (text: string) => void;

    const running = action.run('Saving…', () => new Promise<string>((resolve) => (finish = resolve)));
    expect(action.busy()).toBe('Saving…');

    finish('Saved.');
    await running;
    expect(action.busy()).toBeNull();
    expect(action.result()).toBe('Saved.');
    expect(action.error()).toBeNull();
  });

  it("should say a refusal in words, as explained, and forget the last run's result", async () => {
    const action = new ActionState();
    await action.run('Saving…', () => Promise.resolve('Saved.'));

    const play = jest.fn<Promise<string>, []>().mockRejectedValue(refusal);
    await action.run('Playing x…', play, (failure) => ({ ...failure, sentence: `Not played: ${failure.sentence}` }));

    expect(action.busy()).toBeNull();
    expect(action.result()).toBeNull();
    expect(action.error()).toBe('Not played: The sandbox refused this: No scenario named `x` exists.');
    expect(action.failure()?.status).toBe(404);
  });

  it('should hold a problem found before anything was sent until it is cleared', () => {
    const action = new ActionState();

    action.refuse('Fix the values marked above first.');
    expect(action.error()).toBe('Fix the values marked above first.');
    expect(action.failure()).toEqual({
      sentence: 'Fix the values marked above first.',
      problems: [],
      listed: false,
      status: 0,
    });

    action.refuse(null);
    expect(action.error()).toBeNull();
  });
});
