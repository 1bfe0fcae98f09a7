/**
 * Where a key was written in a TOML file. smol-toml gives positions only for
 * syntax errors, so the lines are found in the text: a key starts its line,
 * under the last `[table]` header above it, or as a dotted key
 * (`Filesystem.ReadOnlyPaths = …`). Keys inside inline tables are not at a line
 * start; for those the table's own line is given, and line 1 when that too is
 * not found. Lines inside multi-line strings could fool this; a bane file has none.
 */
export class KeyLines {
  private readonly lines: readonly string[];
  /** Full key path (parts joined by NUL) → first line (1-based). */
  private readonly keys = new Map<string, number>();

  constructor(text: string) {
    this.lines = text.split(/\r?\n/);
    let table: string[] = [];
    this.lines.forEach((line, i) => {
      const header = /^\s*\[\[?\s*([^\]]*?)\s*\]\]?\s*(?:#.*)?$/.exec(line);
      if (header) {
        table = splitKey(header[1]!);
        this.remember(table, i + 1);
        return;
      }
      const key = /^\s*((?:[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*'))*)\s*=/.exec(line);
      if (key) this.remember([...table, ...splitKey(key[1]!)], i + 1);
    });
  }

  /** The line of the key at `path` (as written, e.g. ['Filesystem', 'ReadOnlyPaths']), else of its nearest table, else 1. */
  line(path: readonly string[]): number {
    for (let n = path.length; n > 0; n--) {
      const found = this.keys.get(path.slice(0, n).join('\0'));
      if (found !== undefined) return found;
    }
    return 1;
  }

  /**
   * The line of an array element: the first line from its key's on that holds
   * the string as written (quoted, TOML-escaped, or raw), else the key's line.
   */
  elementLine(path: readonly string[], value: string): number {
    const start = this.line(path);
    const escaped = JSON.stringify(value).slice(1, -1);
    const forms = [`"${escaped}"`, `'${value}'`, `"${value}"`, escaped, value].filter((f) => f.length > 0 && !f.includes('\n'));
    for (const form of forms) {
      for (let i = start - 1; i < this.lines.length; i++) if (this.lines[i]!.includes(form)) return i + 1;
    }
    return start;
  }

  private remember(path: readonly string[], line: number): void {
    for (let n = 1; n <= path.length; n++) {
      const k = path.slice(0, n).join('\0');
      if (!this.keys.has(k)) this.keys.set(k, line);
    }
  }
}

function splitKey(text: string): string[] {
  const parts: string[] = [];
  const re = /\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*(?:\.|$)/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) && m[0] !== '') parts.push(m[1] ?? m[2] ?? m[3]!);
  return parts;
}
