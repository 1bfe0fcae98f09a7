import { findNodeAtLocation, parse, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { Container } from '../../model/container.js';
import type { Loc } from '../../model/value.js';
import { splitPath } from '../../model/path.js';
import { JsonShapeError, topLevelElements, type Element } from '../json/elements.js';
import { LineIndex } from '../json/positions.js';
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

/** Finds a path's position by parsing the element's text again, only when a finding needs it. */
function locator(slice: string, base: number, lines: LineIndex, file: string): (path: string) => Loc | undefined {
  let tree: Node | undefined | null;
  return (path) => {
    if (tree === undefined) {
      try {
        tree = parseTree(slice) ?? null;
      } catch (e) {
        // jsonc-parser recurses: a hostile, deeply nested document is placed by path only.
        if (!(e instanceof RangeError)) throw e;
        tree = null;
      }
    }
    if (!tree) return undefined;
    const node = path === '' ? tree : findNodeAtLocation(tree, splitPath(path));
    if (!node) return undefined;
    // Point at the key of a property (`"Privileged": true`), the value itself otherwise.
    const at = node.parent?.type === 'property' ? node.parent : node;
    return lines.loc(file, base + at.offset, at.length);
  };
}

/**
 * JSON.parse's messages carry no position in some cases and echo the input in
 * others (hostile text on the terminal); jsonc-parser gives an offset and a code.
 */
function firstSyntaxError(text: string): { offset: number; message: string } {
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
