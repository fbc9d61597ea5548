import { humanMessage, resolveLogFormat } from './log-format';

describe(resolveLogFormat.name, () => {
  it('should be pretty on a terminal and JSON anywhere else when auto', () => {
    expect(resolveLogFormat('auto', true)).toBe('pretty');
    expect(resolveLogFormat('auto', false)).toBe('json');
  });

  it('should do what LOG_FORMAT says when it says pretty or json', () => {
    expect(resolveLogFormat('json', true)).toBe('json');
    expect(resolveLogFormat('pretty', false)).toBe('pretty');
  });
});

describe(humanMessage.name, () => {
  it('should put the context before the message', () => {
    expect(humanMessage({ context: 'CatchUpService', msg: 'Catch-up failed' }, 'msg')).toBe(
      'CatchUpService: Catch-up failed',
    );
    expect(humanMessage({ msg: 'plain' }, 'msg')).toBe('plain');
  });

  it('should write a request line as the method, the URL, the status and the time', () => {
    const log = { req: { method: 'GET', url: '/api/console' }, res: { statusCode: 200 }, responseTime: 4, msg: 'x' };
    expect(humanMessage(log, 'msg')).toBe('GET /api/console → 200 4 ms');
  });
});
