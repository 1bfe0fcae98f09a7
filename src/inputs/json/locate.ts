import type { Loc } from '../../model/value.js';
import { splitPath, type Segment } from '../../model/path.js';

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
 * the document.
 */
export function locatePaths(bytes: Uint8Array, paths: readonly string[], place: Place): Map<string, Loc> {
  const { root, count } = wantedOf(paths);
  const found = new Map<string, Loc>();
  const absent = new Set<string>();
  // The paths neither found nor known to be absent.
  let left = count;
  // The line the scan is on (newlines are only ever between tokens in JSON), and where it starts.
  let line = 1;
  let lineStart = 0;
  const record = (node: Trie | undefined, offset: number, length: number) => {
    if (node?.path === undefined || found.has(node.path)) return;
    found.set(node.path, place(offset, length, line, lineStart));
    // A key given twice: its first value lacked what this one has (then it was counted already, as absent).
    if (!absent.delete(node.path)) left--;
  };
  // The node's value is over: what was wanted in it and not found is not in it.
  const over = (node: Trie) => {
    for (const path of node.below) {
      if (found.has(path) || absent.has(path)) continue;
      absent.add(path);
      left--;
    }
  };

  // Each open object or array: its trie node (undefined off the wanted branches) and, in arrays, the element index.
  const nodes: (Trie | undefined)[] = [];
  const indexes: number[] = [];
  const isArray: boolean[] = [];
  let pending: Trie | undefined = root; // the trie node of the value that comes next
  let expectKey = false;
  let i = 0;
  while (i < bytes.length && left > 0) {
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
      if (closed) over(closed);
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
      record(pending, i, end - i);
      expectKey = false;
      i = end;
      continue;
    }
    // A value starts here. Array elements are placed at their start; properties were placed at their key.
    if (top >= 0 && isArray[top]) record(pending, i, 1);
    else if (top < 0) record(root, i, 1);
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
    if (pending !== undefined) over(pending);
    i = skipValue(bytes, i);
    if (skipped.lines > 0) {
      line += skipped.lines;
      lineStart = skipped.lineStart;
    }
  }
  return found;
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
