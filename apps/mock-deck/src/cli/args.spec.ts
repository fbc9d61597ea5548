import { DEFAULT_API_KEY, DEFAULT_URL, findCommand, parseCommandLine, resolveSettings } from './args';
import { UsageError } from './errors';

const OPTIONS = { data: { type: 'string' }, follow: { type: 'boolean', short: 'f' } } as const;

describe('findCommand', () => {
  it('should find the command word before or after global options', () => {
    expect(findCommand(['reset', '--url', 'http://x'], { url: { type: 'string' } })).toBe('reset');
    expect(findCommand(['--url', 'http://x', 'reset'], { url: { type: 'string' } })).toBe('reset');
  });

  it('should not take a string option value for the command', () => {
    expect(findCommand(['--key', 'sk_test_abcdefgh', 'clock'], { key: { type: 'string' } })).toBe('clock');
  });

  it('should give undefined when there is no command word', () => {
    expect(findCommand(['--json'], { json: { type: 'boolean' } })).toBeUndefined();
  });
});

describe('parseCommandLine', () => {
  it('should drop the command word and keep the rest in order', () => {
    expect(parseCommandLine(['trigger', 'credential.invalid', '--data', '{}', '--json'], 'trigger', OPTIONS)).toEqual({
      positionals: ['credential.invalid'],
      values: { data: '{}', json: true },
    });
  });

  it('should take short flags', () => {
    expect(parseCommandLine(['deliveries', '-f'], 'deliveries', OPTIONS).values.follow).toBe(true);
  });

  it.each([
    [['reset', '--bogus'], 'unknown option --bogus'],
    [['trigger', 'x', '--data'], 'option --data needs a value'],
    [['reset', '--json=yes'], 'option --json takes no value'],
  ])('should refuse %j with a short message', (argv, message) => {
    expect(() => parseCommandLine(argv, argv[0], OPTIONS)).toThrow(new UsageError(message));
  });
});

describe('resolveSettings', () => {
  it('should default to the local sandbox and the shared development key', () => {
    expect(resolveSettings({}, {})).toEqual({ url: DEFAULT_URL, apiKey: DEFAULT_API_KEY, json: false });
  });

  it('should read SANDBOX_URL and SANDBOX_API_KEY, ignoring empty ones', () => {
    expect(
      resolveSettings({}, { SANDBOX_URL: 'http://10.0.0.1:9000/', SANDBOX_API_KEY: 'sk_live_abcdefgh12' }),
    ).toEqual({ url: 'http://10.0.0.1:9000', apiKey: 'sk_live_abcdefgh12', json: false });
    expect(resolveSettings({}, { SANDBOX_URL: ' ', SANDBOX_API_KEY: '' }).url).toBe(DEFAULT_URL);
  });

  it('should let --url and --key win over the environment', () => {
    const settings = resolveSettings(
      { url: 'https://sandbox.test', key: 'sk_test_flagflagflag', json: true },
      { SANDBOX_URL: 'http://env', SANDBOX_API_KEY: 'sk_test_envenvenv' },
    );
    expect(settings).toEqual({ url: 'https://sandbox.test', apiKey: 'sk_test_flagflagflag', json: true });
  });

  it.each(['localhost:4010', 'ftp://127.0.0.1', 'not a url'])('should refuse the URL %j', (url) => {
    expect(() => resolveSettings({ url }, {})).toThrow(/--url must be an http\(s\) URL/);
  });

  it('should refuse a key that is not a sandbox key without echoing it', () => {
    let message = '';
    try {
      resolveSettings({ key: 'pk_secret_value' }, {});
    } catch (error: unknown) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/--key must be a sandbox API key/);
    expect(message).not.toContain('pk_secret_value');
  });
});
