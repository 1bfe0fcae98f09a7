import { isAlias, isCollection, isPair, isScalar, LineCounter, parseAllDocuments, type Document, type Node as YamlNode } from 'yaml';
import { InputError } from '../../core/errors.js';
import { withCloudFormationTags } from './cloudformation-tags.js';
import { jsonDocument } from './json-document.js';
import type { Loc } from '../../model/value.js';
import { splitPath, type Segment } from '../../model/path.js';

/** Deeper documents are refused: no container configuration nests this far, and the libraries recurse. */
export const MAX_DEPTH = 64;
/** Alias expansions allowed per document (YAML "billion laughs" bombs need many more). */
export const MAX_ALIASES = 1000;

const TOO_DEEP = `nested deeper than ${MAX_DEPTH} levels`;

/** One YAML document of a file: its plain value, and a way to place a logical path in the file. */
export interface YamlDocument {
  readonly value: unknown;
  /** 0-based index of the document in its file. */
  readonly index: number;
  /** Places logical paths of this document (the Source.locate signature). */
  readonly locate: (paths: readonly string[]) => ReadonlyMap<string, Loc>;
}

/**
 * Parses every document of a YAML file. Syntax errors, alias bombs and
 * absurd nesting become one InputError naming file:line:column.
 */
export function loadYamlDocuments(text: string, file: string): YamlDocument[] {
  const json = jsonDocument(text, file, MAX_DEPTH);
  if (json) return [{ value: json.value, index: 0, locate: json.locate }];
  const lineCounter = new LineCounter();
  // CloudFormation's short tags (`!Ref X`) become their long form, so no adapter mistakes them for plain text.
  // A tag is written with `!`; without one the tags cannot matter, and they would cost on every plain
  // scalar, which the library tests against each tag of the schema in turn.
  const customTags = text.includes('!') ? withCloudFormationTags : null;
  let docs: ReturnType<typeof parseAllDocuments>;
  try {
    docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false, customTags });
  } catch (e) {
    if (e instanceof RangeError) throw new InputError(`${file}:1:1: refused YAML: ${TOO_DEEP}`);
    throw e;
  }
  const at = (offset: number) => {
    const p = lineCounter.linePos(offset);
    return `${file}:${p.line}:${p.col}`;
  };
  if (!Array.isArray(docs)) return []; // an empty stream
  return docs.map((doc, index) => {
    const error = doc.errors[0];
    // The parser recurses; a stack overflow deep inside is recorded as a document error.
    if (error?.message.includes('Maximum call stack size exceeded')) throw new InputError(`${at(error.pos[0])}: refused YAML: ${TOO_DEEP}`);
    if (error) throw new InputError(`${at(error.pos[0])}: malformed YAML: ${firstLine(error.message)}`);
    checkDepth(doc, at);
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIASES });
    } catch (e) {
      throw new InputError(`${at(doc.range?.[0] ?? 0)}: refused YAML: ${firstLine((e as Error).message)}`);
    }
    const one = locator(doc, lineCounter, file);
    return {
      value,
      index,
      locate: (paths) => {
        const found = new Map<string, Loc>();
        for (const p of paths) {
          const l = one(p);
          if (l) found.set(p, l);
        }
        return found;
      },
    };
  });
}

function checkDepth(doc: Document, at: (offset: number) => string): void {
  const stack: { node: unknown; depth: number }[] = [{ node: doc.contents, depth: 1 }];
  while (stack.length) {
    const { node, depth } = stack.pop()!;
    if (!isCollection(node)) continue;
    if (depth > MAX_DEPTH) throw new InputError(`${at(node.range?.[0] ?? 0)}: refused YAML: ${TOO_DEEP}`);
    for (const item of node.items) {
      if (isPair(item)) stack.push({ node: item.value, depth: depth + 1 });
      else stack.push({ node: item, depth: depth + 1 });
    }
  }
}

/** Places a path at the key of a mapping entry (`privileged: true` → the `privileged`), or at a sequence item. */
function locator(doc: Document, lines: LineCounter, file: string): (path: string) => Loc | undefined {
  const loc = (range: readonly number[] | null | undefined): Loc | undefined => {
    if (!range) return undefined;
    const start = lines.linePos(range[0]!);
    const end = lines.linePos(range[1]!);
    return { file, line: start.line, column: start.col, endLine: end.line, endColumn: end.col };
  };
  return (path) => {
    let node: unknown = doc.contents;
    let keyNode: unknown;
    for (const segment of splitPath(path)) {
      const found = childOf(node, segment);
      if (!found) return undefined;
      [keyNode, node] = found;
    }
    const target = (isScalar(keyNode) || isCollection(keyNode) ? keyNode : node) as YamlNode | undefined;
    if (!target) return undefined;
    return loc(target.range);
  };
}

function childOf(node: unknown, segment: Segment): [unknown, unknown] | undefined {
  if (isAlias(node)) return undefined;
  if (!isCollection(node)) return undefined;
  if (typeof segment === 'number') {
    const item = node.items[segment];
    return item === undefined || isPair(item) ? undefined : [undefined, item];
  }
  for (const item of node.items) {
    if (isPair(item) && isScalar(item.key) && String(item.key.value) === segment) return [item.key, item.value ?? item.key];
  }
  return undefined;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}
