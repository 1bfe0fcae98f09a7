import type { Loc } from '../../model/value.js';
import { splitPath, type Segment } from '../../model/path.js';
import type { Layout } from './elements.js';

interface Trie {
  readonly children: Map<Segment, Trie>;
  /** The children by property name, as UTF-8 bytes: keys are matched in the input without decoding them (but see child()). */
  readonly keys: { readonly bytes: Uint8Array; readonly node: Trie }[];
  /** The wanted paths at this node and below it: once its value is over, those not found are not there. */
  readonly below: string[];
  /** Set when this node is one of the wanted paths. */
  path?: string;
}

const encoder = new TextEncoder();

/** Keys as UTF-8, encoded once: every container is asked about the same few dozen. */
const encoded = new Map<string, Uint8Array>();

function utf8(key: string): Uint8Array {
  let bytes = encoded.get(key);
  if (!bytes) {
    if (encoded.size >= 10_000) encoded.clear(); // keys from the input (label names) must not grow it without end
    encoded.set(key, (bytes = encoder.encode(key)));
  }
  return bytes;
}

interface Wanted {
  readonly root: Trie;
  /** How many distinct paths. */
  readonly count: number;
}

/**
 * The trie of some paths, kept for the next container asked the same: most
 * containers of a file are asked about the same paths, and a trie per
 * container was a sixth of what placing findings allocated.
 */
const tries = new Map<string, Wanted>();

function wantedOf(paths: readonly string[]): Wanted {
  const key = paths.join('\n');
  let wanted = tries.get(key);
  if (wanted) return wanted;
  const root: Trie = { children: new Map(), keys: [], below: [] };
  let count = 0;
  for (const path of paths) {
    let node = root;
    const chain = [root];
    for (const segment of splitPath(path)) {
      let next = node.children.get(segment);
      if (!next) {
        node.children.set(segment, (next = { children: new Map(), keys: [], below: [] }));
        // A key with a backslash in it is written escaped, so never matches its own bytes: found by decoding below.
        if (typeof segment === 'string' && !segment.includes('\\')) node.keys.push({ bytes: utf8(segment), node: next });
      }
      node = next;
      chain.push(node);
    }
    if (node.path === undefined) {
      count++;
      for (const n of chain) n.below.push(path);
    }
    node.path = path;
  }
  if (tries.size >= 1_000) tries.clear(); // paths from the input (label names) must not grow it without end
  tries.set(key, (wanted = { root, count }));
  return wanted;
}

/**
 * Makes the place of a path from where the scan found it: the byte offset
 * and length of its key (or of an array element's first byte), the 1-based
 * line that is on and the offset where that line starts. Lines are counted
 * as the scan goes, so a column is counted from the line's start, not from
 * the top: looking each newline up again (Buffer#indexOf per line, ~1.5
 * million lines in the benchmark's 10,000 containers) cost more than the scan.
 */
export type Place = (offset: number, length: number, line: number, lineStart: number) => Loc;

/**
 * Finds where logical paths sit in the UTF-8 bytes of a JSON value that is
 * known to be valid (JSON.parse accepted it), in one pass, without decoding
 * it and without building a tree:
 * branches that hold no wanted path are skipped bracket to bracket. A
 * property is placed at its key (`"Privileged": true` → `"Privileged"`), an
 * array element at its first character. The pass ends once every path is
 * found or known to be absent (its parent's value is over without it), so
 * a default nobody wrote (`Config.Healthcheck`) does not cost the rest of
 * the document. With the value's layout (the splitter found it laid out one
 * item per line) the pass goes a line at a time, which is faster.
 */
export function locatePaths(bytes: Uint8Array, paths: readonly string[], place: Place, layout?: Layout): Map<string, Loc> {
  const { root, count } = wantedOf(paths);
  const finds = new Finds(count, place);
  if (layout) walkLines(bytes, root, layout, finds);
  else walkTokens(bytes, root, finds);
  return finds.found;
}

/** The places found so far, and how many wanted paths are neither found nor known to be absent. */
class Finds {
  readonly found = new Map<string, Loc>();
  private readonly absent = new Set<string>();
  left: number;

  constructor(
    count: number,
    private readonly place: Place,
  ) {
    this.left = count;
  }

  record(node: Trie | undefined, offset: number, length: number, line: number, lineStart: number): void {
    if (node?.path === undefined || this.found.has(node.path)) return;
    this.found.set(node.path, this.place(offset, length, line, lineStart));
    // A key given twice: its first value lacked what this one has (then it was counted already, as absent).
    if (!this.absent.delete(node.path)) this.left--;
  }

  /** The node's value is over: what was wanted in it and not found is not in it. */
  over(node: Trie): void {
    for (const path of node.below) {
      if (this.found.has(path) || this.absent.has(path)) continue;
      this.absent.add(path);
      this.left--;
    }
  }
}

/** A token at a time: any JSON text. */
function walkTokens(bytes: Uint8Array, root: Trie, finds: Finds): void {
  // The line the scan is on (newlines are only ever between tokens in JSON), and where it starts.
  let line = 1;
  let lineStart = 0;
  // Each open object or array: its trie node (undefined off the wanted branches) and, in arrays, the element index.
  const nodes: (Trie | undefined)[] = [];
  const indexes: number[] = [];
  const isArray: boolean[] = [];
  let pending: Trie | undefined = root; // the trie node of the value that comes next
  let expectKey = false;
  let i = 0;
  while (i < bytes.length && finds.left > 0) {
    const c = bytes[i];
    if (c === 0x20) {
      i++; // indentation: most of the bytes on the wanted branches
      continue;
    }
    if (c === 0x0a) {
      line++;
      lineStart = ++i;
      continue;
    }
    if (c === 0x0d || c === 0x09 || c === 0x3a /* : */) {
      i++;
      continue;
    }
    const top = nodes.length - 1;
    if (c === 0x2c /* , */) {
      if (isArray[top]) {
        indexes[top]!++;
        pending = nodes[top]?.children.get(indexes[top]!);
      } else expectKey = true;
      i++;
      continue;
    }
    if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      const closed = nodes.pop();
      if (closed) finds.over(closed);
      indexes.pop();
      isArray.pop();
      expectKey = false; // an empty object never reached a value that would have cleared it
      i++;
      continue;
    }
    if (c === 0x22 /* " */ && expectKey) {
      const end = skipString(bytes, i);
      const parent = nodes[top];
      pending = parent && child(parent, bytes, i, end);
      finds.record(pending, i, end - i, line, lineStart);
      expectKey = false;
      i = end;
      continue;
    }
    // A value starts here. Array elements are placed at their start; properties were placed at their key.
    if (top >= 0 && isArray[top]) finds.record(pending, i, 1, line, lineStart);
    else if (top < 0) finds.record(root, i, 1, line, lineStart);
    if ((c === 0x7b /* { */ || c === 0x5b) /* [ */ && pending !== undefined) {
      nodes.push(pending);
      indexes.push(0);
      isArray.push(c === 0x5b);
      expectKey = c === 0x7b;
      pending = c === 0x5b ? pending.children.get(0) : undefined;
      i++;
      continue;
    }
    // A scalar, or a container with nothing wanted inside: skip it whole.
    if (pending !== undefined) finds.over(pending);
    i = skipValue(bytes, i);
    if (skipped.lines > 0) {
      line += skipped.lines;
      lineStart = skipped.lineStart;
    }
  }
}

/**
 * A line at a time: a value laid out one item per line (Layout), which
 * starts with its opening bracket. Each line's end is found with indexOf
 * (memchr), and a line is read only at the depth of the innermost wanted
 * object or array that is open: a line indented deeper belongs to a branch
 * nothing is wanted in, and is passed over by one byte. For the benchmark's
 * 10,000 containers this took about half the time of the token walk.
 */
function walkLines(bytes: Uint8Array, root: Trie, { indent, unit }: Layout, finds: Finds): void {
  finds.record(root, 0, 1, 1, 0);
  // The open wanted objects and arrays, innermost last: the lines of their items are indented by indent + unit × their count.
  const nodes: Trie[] = [root];
  const isArray: boolean[] = [bytes[0] === 0x5b];
  const indexes: number[] = [0];
  let line = 1;
  let newline = bytes.indexOf(0x0a);
  while (newline >= 0 && finds.left > 0) {
    const lineStart = newline + 1;
    line++;
    const depth = nodes.length;
    // Where an item of the innermost open node starts its line.
    const at = lineStart + indent + unit * depth;
    if (bytes[at - unit] !== 0x20) {
      // Indented a level less: the line closes the innermost open node.
      finds.over(nodes.pop()!);
      isArray.pop();
      indexes.pop();
      if (nodes.length === 0) return;
      newline = bytes.indexOf(0x0a, at - unit);
      continue;
    }
    const first = bytes[at];
    if (first === 0x20 || first === 0x7d /* } */ || first === 0x5d /* ] */) {
      // A line of an item's own object or array (nothing is wanted in it), or its close.
      newline = bytes.indexOf(0x0a, at);
      continue;
    }
    const top = depth - 1;
    let node: Trie | undefined;
    let end: number;
    if (isArray[top]) {
      node = nodes[top]!.children.get(indexes[top]!++);
      end = at + 1;
      finds.record(node, at, 1, line, lineStart);
    } else {
      end = skipString(bytes, at);
      node = child(nodes[top]!, bytes, at, end);
      finds.record(node, at, end - at, line, lineStart);
    }
    newline = bytes.indexOf(0x0a, end);
    if (node === undefined || node.children.size === 0) continue;
    // Only an object or array with something in it ends its line with the opening bracket; anything else is over here.
    const last = bytes[(newline < 0 ? bytes.length : newline) - 1];
    if (last === 0x7b /* { */ || last === 0x5b /* [ */) {
      nodes.push(node);
      isArray.push(last === 0x5b);
      indexes.push(0);
    } else finds.over(node);
  }
}

/** The child of `node` named by the quoted key at bytes[start, end), if it is a wanted one. */
function child(node: Trie, bytes: Uint8Array, start: number, end: number): Trie | undefined {
  const from = start + 1;
  const length = end - 1 - from;
  for (const k of node.keys) {
    if (k.bytes.length !== length) continue;
    let j = 0;
    while (j < length && k.bytes[j] === bytes[from + j]) j++;
    if (j === length) return k.node;
  }
  // A key written with escapes (`"Privil\u0065ged"`) is the same key: decode it (rare). Looked for
  // byte by byte: most keys are not wanted, and a subarray per key was a fifth of placing findings.
  for (let j = from; j < end - 1; j++) {
    if (bytes[j] === 0x5c /* \\ */) return node.children.get(JSON.parse(new TextDecoder().decode(bytes.subarray(start, end))) as string);
  }
  return undefined;
}

/** The newlines the last skipValue passed over, and where the line after the last of them starts. */
const skipped = { lines: 0, lineStart: 0 };

/** Returns the offset just past the (valid) value starting at `i`, and counts the newlines inside it in `skipped`. */
function skipValue(bytes: Uint8Array, i: number): number {
  skipped.lines = 0;
  if (bytes[i] === 0x22 /* " */) return skipString(bytes, i); // a string holds no newline
  let depth = 0;
  for (let j = i; j < bytes.length; j++) {
    const c = bytes[j];
    if (c === 0x22) j = skipString(bytes, j) - 1;
    else if (c === 0x0a && depth > 0) {
      skipped.lines++;
      skipped.lineStart = j + 1;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) depth++;
    else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      if (--depth === 0) return j + 1;
      if (depth < 0) return j; // a scalar ends at its container's close
    } else if (depth === 0 && (c === 0x2c /* , */ || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09)) return j;
  }
  return bytes.length;
}

/** Returns the offset just past the string whose opening quote is at `i`: the next quote not escaped by an odd run of backslashes. */
function skipString(bytes: Uint8Array, i: number): number {
  // Most strings are short keys and values: a loop beats a call into Buffer#indexOf for the first bytes.
  const near = Math.min(bytes.length, i + 33);
  let q = i + 1;
  while (q < near && bytes[q] !== 0x22) q++;
  if (q < near && bytes[q - 1] !== 0x5c) return q + 1;
  if (q >= near) q = bytes.indexOf(0x22, q);
  for (; q !== -1; q = bytes.indexOf(0x22, q + 1)) {
    let backslashes = 0;
    while (bytes[q - 1 - backslashes] === 0x5c /* \\ */) backslashes++;
    if (backslashes % 2 === 0) return q + 1;
  }
  return bytes.length;
}
