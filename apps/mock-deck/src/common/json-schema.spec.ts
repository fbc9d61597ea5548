import { DeckError } from './deck-error';
import { JsonSchemaValidator } from './json-schema';

describe(JsonSchemaValidator.name, () => {
  const schema = (pattern: string) => ({ type: 'object', properties: { v: { type: 'string', pattern } } });

  function refusal(work: () => void): DeckError {
    try {
      work();
    } catch (error: unknown) {
      if (error instanceof DeckError) {
        return error;
      }
      throw error;
    }
    throw new Error('expected a refusal');
  }

  it('should tell patterns apart when two schemas share everything else', () => {
    const validator = new JsonSchemaValidator();
    expect(() => validator.assertValid(schema('^a+$'), { v: 'aaa' }, 'input')).not.toThrow();
    expect(() => validator.assertValid(schema('^b+$'), { v: 'bbb' }, 'input')).not.toThrow();
    expect(refusal(() => validator.assertValid(schema('^b+$'), { v: 'aaa' }, 'input')).status).toBe(400);
  });

  it('should refuse, with a 400 naming the field, a schema whose pattern re2 cannot run', () => {
    const validator = new JsonSchemaValidator();
    const saved = refusal(() => validator.assertSchema(schema('(a)\\1'), 'input_schema'));
    expect(saved.status).toBe(400);
    expect(saved.problems).toEqual([
      expect.objectContaining({
        code: 'input_invalid',
        field: 'input_schema',
        message: expect.stringContaining('linear time'),
      }),
    ]);
  });

  it('should answer a run of a task saved before its pattern was refused with a 400, not a crash', () => {
    const validator = new JsonSchemaValidator();
    const run = refusal(() => validator.assertValid(schema('(?=a)a'), { v: 'a' }, 'input'));
    expect(run.status).toBe(400);
    expect(run.problems[0]).toMatchObject({ code: 'input_invalid', field: 'input' });
  });
});
