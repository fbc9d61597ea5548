import { Injectable } from '@nestjs/common';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

import { DeckError, DeckProblem } from './deck-error';
import { linearRegExp, UnsupportedPatternError } from './linear-regexp';

/** Compiled schemas kept; tasks share few schemas, but every request may bring a new one. */
const MAX_COMPILED = 500;

const UNSUPPORTED_PATTERN =
  'has a `pattern` the sandbox cannot match in linear time: backreferences, lookahead and lookbehind are not supported.';

/**
 * JSON Schema through ajv: a task's schemas are checked when they are saved,
 * and a run's input against the task's `input_schema` before the run exists.
 * Patterns run on re2 (`linearRegExp`), so matching takes time linear in the input.
 */
@Injectable()
export class JsonSchemaValidator {
  private readonly ajv = new Ajv({ allErrors: true, strict: false, code: { regExp: linearRegExp } });
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor() {
    addFormats(this.ajv);
  }

  /** Throws 400 naming `field` when `schema` is not a usable JSON Schema. */
  assertSchema(schema: unknown, field: string): void {
    try {
      this.compile(schema);
    } catch (error: unknown) {
      if (error instanceof UnsupportedPatternError) {
        throw new DeckError('input_invalid', `\`${field}\` ${UNSUPPORTED_PATTERN}`, field);
      }
      throw new DeckError('input_invalid', `\`${field}\` is not a valid JSON Schema.`, field);
    }
  }

  /** Throws 400 listing every mismatch, each with its JSON path under `field`. */
  assertValid(schema: Record<string, unknown>, value: unknown, field: string): void {
    let validate: ValidateFunction;
    try {
      validate = this.compile(schema);
    } catch {
      // A schema saved before its pattern was refused: the caller's input is not at fault, but no run can start.
      throw new DeckError('input_invalid', `The task's input schema ${UNSUPPORTED_PATTERN} Update the task.`, field);
    }
    if (validate(value)) {
      return;
    }
    const problems: DeckProblem[] = (validate.errors ?? []).map((e) => {
      const path = e.instancePath
        .split('/')
        .filter(Boolean)
        .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
      const missing =
        e.keyword === 'required' ? String((e.params as { missingProperty: string }).missingProperty) : null;
      const at = [field, ...path, ...(missing ? [missing] : [])].join('.');
      return {
        code: missing ? ('input_missing' as const) : ('input_invalid' as const),
        field: at,
        message: missing
          ? `\`${at}\` is required by the task's input schema.`
          : `\`${at}\` ${e.message ?? 'is invalid'}.`,
      };
    });
    throw new DeckError(problems);
  }

  private compile(schema: unknown): ValidateFunction {
    const key = JSON.stringify(schema);
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(schema as Record<string, unknown>);
      if (this.compiled.size >= MAX_COMPILED) {
        this.compiled.delete(this.compiled.keys().next().value as string);
      }
      this.compiled.set(key, validate);
    }
    return validate;
  }
}
