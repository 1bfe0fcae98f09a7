import type { Loc } from '../model/value.js';

/**
 * Positions in a text read whole (a Dockerfile, daemon.json). Offsets are
 * indexes into the JavaScript string (UTF-16 code units), like the positions
 * dockerfile-ast, tree-sitter and jsonc-parser give; lines and columns in a
 * Loc are 1-based, and a Loc's end column is that of the character after the end.
 */
export class SourceText {
  /** Offset of the first character of each line. */
  private readonly starts: number[] = [0];

  constructor(
    readonly text: string,
    readonly file: string,
  ) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  lineStart(line: number): number {
    return this.starts[line] ?? this.text.length;
  }

  /** The offset where the line's content ends: before its `\n` or `\r\n`. */
  lineEnd(line: number): number {
    const next = this.starts[line + 1];
    if (next === undefined) return this.text.length;
    return next >= 2 && this.text.charCodeAt(next - 2) === 13 ? next - 2 : next - 1;
  }

  /** The 0-based line holding the offset. */
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Offset of a 0-based line/character position (dockerfile-ast's), clamped to the text. */
  offset(pos: { line: number; character: number }): number {
    return Math.min(this.lineStart(pos.line) + pos.character, this.text.length);
  }

  /** A Loc from offsets [start, end). */
  loc(start: number, end: number): Loc {
    const l1 = this.lineOf(start);
    const l2 = end > start ? this.lineOf(end) : l1;
    return { file: this.file, line: l1 + 1, column: start - this.starts[l1]! + 1, endLine: l2 + 1, endColumn: Math.max(end, start) - this.starts[l2]! + 1 };
  }

  /** A Loc from a dockerfile-ast range (0-based positions, exclusive end). */
  rangeLoc(range: { start: { line: number; character: number }; end: { line: number; character: number } }): Loc {
    return this.loc(this.offset(range.start), this.offset(range.end));
  }
}
