import { createRequire } from 'node:module';
import type { ParseError } from 'jsonc-parser';
import { InputError } from '../../core/errors.js';
import { SourceText } from '../source-text.js';

/**
 * A whole JSON file parsed, or an InputError `FILE:LINE:COLUMN: WHAT:
 * malformed JSON (why)`. JSON.parse's own messages carry no line and echo
 * the input (hostile text on the terminal); jsonc-parser, loaded only for a
 * malformed file, says where and why.
 */
export function parseJsonFile(text: string, file: string, what = 'not valid JSON'): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const error = firstSyntaxError(text);
    const { line, column } = new SourceText(text, file).loc(error.offset, error.offset);
    throw new InputError(`${file}:${line}:${column}: ${what}: malformed JSON (${error.message})`);
  }
}

/** Where and why JSON text is malformed: an offset and jsonc-parser's error code. */
export function firstSyntaxError(text: string): { offset: number; message: string } {
  const { parse, printParseErrorCode } = createRequire(import.meta.url)('jsonc-parser') as typeof import('jsonc-parser');
  const errors: ParseError[] = [];
  try {
    parse(text, errors, { disallowComments: true, allowTrailingComma: false });
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    return { offset: 0, message: 'nested too deeply to say where' };
  }
  const e = errors[0];
  if (!e) return { offset: 0, message: 'not valid JSON' };
  return { offset: e.offset, message: printParseErrorCode(e.error) };
}
