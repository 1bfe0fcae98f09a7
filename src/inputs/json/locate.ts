import type { Loc } from '../../model/value.js';
import { splitPath, type Segment } from '../../model/path.js';

interface Trie {
  readonly children: Map<Segment, Trie>;
  /** Set when this node is one of the wanted paths. */
  path?: string;
}

/**
 * Finds where logical paths sit in a JSON text that is known to be valid
 * (JSON.parse accepted it), in one pass and without building a tree:
 * branches that hold no wanted path are skipped bracket to bracket. A
 * property is placed at its key (`"Privileged": true` → `"Privileged"`), an
 * array element at its first character.
 */
export function locatePaths(text: string, paths: readonly string[], loc: (offset: number, length: number) => Loc): Map<string, Loc> {
  const root: Trie = { children: new Map() };
  let wanted = 0;
  for (const path of paths) {
    let node = root;
    for (const segment of splitPath(path)) {
      let next = node.children.get(segment);
      if (!next) node.children.set(segment, (next = { children: new Map() }));
      node = next;
    }
    if (node.path === undefined) wanted++;
    node.path = path;
  }
  const found = new Map<string, Loc>();
  const record = (node: Trie | undefined, offset: number, length: number) => {
    if (node?.path !== undefined && !found.has(node.path)) found.set(node.path, loc(offset, length));
  };

  // Each open object or array: its trie node (undefined off the wanted branches) and, in arrays, the element index.
  const nodes: (Trie | undefined)[] = [];
  const indexes: number[] = [];
  const isArray: boolean[] = [];
  let pending: Trie | undefined = root; // the trie node of the value that comes next
  let expectKey = false;
  let i = 0;
  while (i < text.length && found.size < wanted) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x3a /* : */) {
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
      nodes.pop();
      indexes.pop();
      isArray.pop();
      i++;
      continue;
    }
    if (c === 0x22 /* " */ && expectKey) {
      const end = skipString(text, i);
      const raw = text.slice(i + 1, end - 1);
      pending = nodes[top]?.children.get(raw.includes('\\') ? (JSON.parse(text.slice(i, end)) as string) : raw);
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
    i = skipValue(text, i);
  }
  return found;
}

/** Returns the offset just past the (valid) value starting at `i`. */
function skipValue(text: string, i: number): number {
  const open = text.charCodeAt(i);
  if (open === 0x22 /* " */) return skipString(text, i);
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x22) j = skipString(text, j) - 1;
    else if (c === 0x7b /* { */ || c === 0x5b /* [ */) depth++;
    else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      if (--depth === 0) return j + 1;
      if (depth < 0) return j; // a scalar ends at its container's close
    } else if (depth === 0 && (c === 0x2c /* , */ || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09)) return j;
  }
  return text.length;
}

function skipString(text: string, i: number): number {
  for (let j = text.indexOf('"', i + 1); j !== -1; j = text.indexOf('"', j + 1)) {
    let k = j - 1;
    while (text.charCodeAt(k) === 0x5c /* \\ */) k--;
    if ((j - 1 - k) % 2 === 0) return j + 1;
  }
  return text.length;
}
