/**
 * Logical paths name a fact inside an input: `HostConfig.Binds[0]`,
 * `HostConfig.PortBindings["80/tcp"][0].HostIp`. Keys that are not plain
 * identifiers are written as JSON strings in brackets.
 */
export type Segment = string | number;

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

export function joinPath(segments: readonly Segment[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (PLAIN_KEY.test(s)) out += out === '' ? s : `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

/** Appends segments to a path. */
export function child(path: string, ...segments: Segment[]): string {
  const tail = joinPath(segments);
  if (path === '') return tail;
  return tail.startsWith('[') ? path + tail : `${path}.${tail}`;
}

/** Inverse of joinPath. Throws on a malformed path (paths are made by code, not users). */
export function splitPath(path: string): Segment[] {
  const out: Segment[] = [];
  let i = 0;
  while (i < path.length) {
    const ch = path[i];
    if (ch === '.') {
      i++;
    } else if (ch === '[') {
      if (path[i + 1] === '"') {
        // A JSON string: find its closing quote, skipping escapes.
        let j = i + 2;
        while (j < path.length && path[j] !== '"') j += path[j] === '\\' ? 2 : 1;
        out.push(JSON.parse(path.slice(i + 1, j + 1)) as string);
        i = j + 2;
      } else {
        // An index; an unclosed bracket takes the rest (paths are made by code, but must never hang).
        const close = path.indexOf(']', i);
        const j = close < 0 ? path.length : close;
        out.push(Number(path.slice(i + 1, j)));
        i = j + 1;
      }
    } else {
      let j = i;
      while (j < path.length && path[j] !== '.' && path[j] !== '[') j++;
      out.push(path.slice(i, j));
      i = j;
    }
  }
  return out;
}

/** The enclosing path: `A.B[2]` → `A.B` → `A` → ''; undefined for ''. */
export function parentPath(path: string): string | undefined {
  if (path === '') return undefined;
  // The last segment starts at the last '.' or '[' outside a quoted key; quoted keys end in `"]`.
  if (path.endsWith('"]')) {
    // Find the opening `["` of this quoted key, skipping escaped quotes inside it.
    let j = path.length - 3;
    while (j > 0 && !(path[j] === '"' && path[j - 1] === '[' && !isEscaped(path, j))) j--;
    return path.slice(0, Math.max(j - 1, 0));
  }
  for (let i = path.length - 1; i > 0; i--) {
    const ch = path[i];
    if (ch === '.' || ch === '[') return path.slice(0, i);
  }
  return '';
}

/** True when the character at `i` is preceded by an odd number of backslashes. */
function isEscaped(path: string, i: number): boolean {
  let n = 0;
  for (let k = i - 1; k >= 0 && path[k] === '\\'; k--) n++;
  return n % 2 === 1;
}
