import { LiveSequence } from './live-sequence';

describe(LiveSequence.name, () => {
  it('should ask for a refetch on a first connection, when the api cannot know what was missed', () => {
    const sequence = new LiveSequence();

    expect(sequence.handshake()).toEqual({});
    expect(sequence.connected()).toBe('refetch');
  });

  it('should reconnect from the last change seen, so the api replays only what was missed', () => {
    const sequence = new LiveSequence();
    sequence.accept({ seq: 7 });
    sequence.accept({ seq: 9 });

    expect(sequence.handshake()).toEqual({ last_seq: 9 });
    expect(sequence.connected()).toBe('replay');
  });

  it('should drop a change already seen when replay and live overlap', () => {
    const sequence = new LiveSequence();
    const seen = [5, 6, 6, 5, 7, 7, 8].filter((seq) => sequence.accept({ seq }));

    expect(seen).toEqual([5, 6, 7, 8]);
  });

  it('should continue from the resync position after a refetch', () => {
    const sequence = new LiveSequence();
    sequence.accept({ seq: 3 });
    sequence.resync(600);

    expect(sequence.accept({ seq: 550 })).toBe(false);
    expect(sequence.accept({ seq: 601 })).toBe(true);
    expect(sequence.handshake()).toEqual({ last_seq: 601 });
  });
});
