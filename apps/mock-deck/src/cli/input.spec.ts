import { UsageError } from './errors';
import { durationArg, expectPositionals, integerArg, jsonObjectArg, oneOf, positiveNumberArg } from './input';

describe('durationArg', () => {
  it.each([
    ['3d', 259_200_000, '3d'],
    ['1h30m', 5_400_000, '1h30m'],
    ['250ms', 250, '250ms'],
    ['1.5s', 1500, '1.5s'],
    ['500', 500, '500ms'],
  ])('should read %s', (value, ms, text) => {
    expect(durationArg(value, 'clock advance')).toEqual({ ms, text });
  });

  it.each(['3x', '', 'd', '3 d', '-1s', '1h 30m'])('should refuse %j, naming what it was for', (value) => {
    expect(() => durationArg(value, '--timeout')).toThrow(
      new UsageError(`--timeout: "${value}" is not a duration; write e.g. 90s, 10m, 3d, 1h30m or 250ms`),
    );
  });
});

describe('jsonObjectArg', () => {
  it('should parse a JSON object', () => {
    expect(jsonObjectArg('{"external_id":"user_42","n":1}', '--data')).toEqual({ external_id: 'user_42', n: 1 });
  });

  it('should say the JSON is bad and show how to quote it', () => {
    expect(() => jsonObjectArg("{external_id:'x'}", '--data')).toThrow(/--data is not valid JSON \(.+\); quote it/);
  });

  it.each(['[1]', 'null', '"text"', '3'])('should refuse %s, which is JSON but not an object', (value) => {
    expect(() => jsonObjectArg(value, '--data')).toThrow('--data must be a JSON object');
  });
});

describe('number arguments', () => {
  it('should take whole numbers within bounds only', () => {
    expect(integerArg('3', '--duplicate', 1, 5)).toBe(3);
    expect(() => integerArg('0', '--duplicate', 1, 5)).toThrow(
      '--duplicate must be a whole number from 1 to 5, not "0"',
    );
    expect(() => integerArg('2.5', '--drop-first', 1)).toThrow('--drop-first must be a whole number 1 or more');
  });

  it('should take positive numbers with decimals for a clock scale', () => {
    expect(positiveNumberArg('0.5', 'clock scale')).toBe(0.5);
    expect(() => positiveNumberArg('0', 'clock scale')).toThrow('clock scale must be a number above 0');
    expect(() => positiveNumberArg('fast', 'clock scale')).toThrow('clock scale must be a number above 0');
  });

  it('should check a word against its choices', () => {
    expect(oneOf('reject', ['approve', 'reject'], 'the decision')).toBe('reject');
    expect(() => oneOf('maybe', ['approve', 'reject'], 'the decision')).toThrow(
      'the decision must be one of approve, reject, not "maybe"',
    );
  });
});

describe('expectPositionals', () => {
  it('should name what is missing and what is extra', () => {
    expect(expectPositionals(['cred_1', 'invalid'], ['credential-id', 'status'])).toEqual(['cred_1', 'invalid']);
    expect(() => expectPositionals(['cred_1'], ['credential-id', 'status'])).toThrow('missing <status>');
    expect(() => expectPositionals([], ['credential-id', 'status'])).toThrow('missing <credential-id> <status>');
    expect(() => expectPositionals(['a', 'b'], ['name'])).toThrow('unexpected argument "b"');
  });
});
