import { formatSandboxError, isErrorEnvelope } from './errors';

describe('formatSandboxError', () => {
  it('should put one problem on one line with its field and request id', () => {
    expect(
      formatSandboxError(
        400,
        [
          {
            type: 'request',
            code: 'input_invalid',
            message: 'by must be a duration such as 90s, 10m or 3d',
            field: 'by',
          },
        ],
        'req_123',
      ),
    ).toBe('error 400 input_invalid: by must be a duration such as 90s, 10m or 3d (field by, request req_123)');
  });

  it('should leave out what the sandbox did not send', () => {
    expect(formatSandboxError(401, [{ type: 'request', code: 'api_key_invalid', message: 'Bad key.' }], null)).toBe(
      'error 401 api_key_invalid: Bad key.',
    );
  });

  it('should list every problem of a refused file, each with its path once', () => {
    const text = formatSandboxError(
      400,
      [
        { type: 'request', code: 'input_missing', message: '`runs` is required.', field: 'runs' },
        { type: 'request', code: 'input_invalid', message: 'must be a string', field: 'name' },
        { type: 'request', code: 'input_invalid', message: 'must be a string', field: 'name' },
      ],
      'req_9',
    );
    expect(text.split('\n')).toEqual([
      'error 400: 2 problems (request req_9)',
      '  `runs` is required. [input_missing]',
      '  name: must be a string [input_invalid]',
    ]);
  });
});

describe('isErrorEnvelope', () => {
  it('should accept the sandbox envelope only', () => {
    expect(isErrorEnvelope({ errors: [{ type: 'request', code: 'x', message: 'y' }], request_id: 'req_1' })).toBe(true);
    expect(isErrorEnvelope({ errors: [{ code: 1 }] })).toBe(false);
    expect(isErrorEnvelope({ message: 'Not Found' })).toBe(false);
    expect(isErrorEnvelope('<html>')).toBe(false);
  });
});
