import { createRequire } from 'node:module';
import type { ParseError } from 'jsonc-parser';
import type { Container } from '../../model/container.js';
import type { Loc } from '../../model/value.js';
import { JsonShapeError, topLevelElements, type Element } from '../json/elements.js';
import { LineIndex } from '../json/positions.js';
import { locatePaths } from '../json/locate.js';
import { InputError } from '../../core/errors.js';
import { containerFromInspect, InspectShapeError } from './adapt.js';

/**
 * Reads the output of `docker inspect` (an array of container documents, or
 * one document) into containers whose facts can be placed at file:line:column.
 * `file` is the name shown to the user ('-' is stdin).
 */
export function containersFromInspectText(text: string, file: string): Container[] {
  const lines = new LineIndex(text);
  const where = (offset: number) => {
    const p = lines.position(offset);
    return `${file}:${p.line}:${p.column}`;
  };
  let elements: Element[];
  try {
    elements = topLevelElements(text);
  } catch (e) {
    if (e instanceof JsonShapeError) throw new InputError(`${where(e.offset)}: malformed JSON: ${e.message}`);
    throw e;
  }
  return elements.map((el, index) => {
    const slice = text.slice(el.start, el.end);
    let doc: unknown;
    try {
      doc = JSON.parse(slice);
    } catch {
      const error = firstSyntaxError(slice);
      throw new InputError(`${where(el.start + error.offset)}: malformed JSON: ${error.message}`);
    }
    try {
      return containerFromInspect(doc, { kind: 'inspect', file, locate: locator(slice, el.start, lines, file) });
    } catch (e) {
      if (e instanceof InspectShapeError) throw new InputError(`${where(el.start)}: element ${index} is not \`docker inspect\` output for a container: ${e.message}`);
      throw e;
    }
  });
}

/** Finds the positions of a container's paths in one pass over its text, without building a tree. */
function locator(slice: string, base: number, lines: LineIndex, file: string): (paths: readonly string[]) => ReadonlyMap<string, Loc> {
  return (paths) => locatePaths(slice, paths, (offset, length) => lines.loc(file, base + offset, length));
}

/**
 * JSON.parse's messages carry no position in some cases and echo the input in
 * others (hostile text on the terminal); jsonc-parser gives an offset and a code.
 */
function firstSyntaxError(text: string): { offset: number; message: string } {
  // Only a malformed file needs jsonc-parser: load it then, not on every run.
  const { parse, printParseErrorCode } = createRequire(import.meta.url)('jsonc-parser') as typeof import('jsonc-parser');
  const errors: ParseError[] = [];
  try {
    parse(text, errors, { disallowComments: true, allowTrailingComma: false });
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    return { offset: 0, message: 'not valid JSON (nested too deeply to say where)' };
  }
  const e = errors[0];
  if (!e) return { offset: 0, message: 'not valid JSON' };
  return { offset: e.offset, message: printParseErrorCode(e.error) };
}
