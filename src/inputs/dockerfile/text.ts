import type { SourceText } from '../source-text.js';

/**
 * Text assembled from pieces of the source (continuation lines joined, comment
 * lines dropped), with a map back to source offsets, so positions the shell
 * parser gives in the assembled text land on the right file:line:column.
 */
export class MappedText {
  /** Piece k starts at `at[k]` in the text and at `src[k]` in the source. */
  private readonly at: number[] = [];
  private readonly src: number[] = [];
  text = '';

  append(source: string, from: number, to: number): void {
    if (to <= from) return;
    this.at.push(this.text.length);
    this.src.push(from);
    this.text += source.slice(from, to);
  }

  /** The source offset of an offset in the text. */
  toSource(offset: number): number {
    const { at, src } = this;
    if (at.length === 0) return 0;
    let lo = 0;
    let hi = at.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (at[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return src[lo]! + (offset - at[lo]!);
  }

  /** Source range of [start, end) in the text (the end maps from the last character, so a range never spans a dropped line's gap at its end). */
  toSourceRange(start: number, end: number): [number, number] {
    const s = this.toSource(start);
    const e = end > start ? this.toSource(end - 1) + 1 : s;
    return [s, Math.max(s, e)];
  }
}

/**
 * Docker's line continuation: the escape character as the last non-blank
 * character of a line, unless the character before it is the escape
 * character too (BuildKit's `([^\\])\\[ \t]*$|^\\[ \t]*$`). Returns the offset
 * of that escape character, or -1.
 */
export function continuationAt(text: string, from: number, to: number, escape: string): number {
  let i = to - 1;
  while (i >= from && (text[i] === ' ' || text[i] === '\t')) i--;
  if (i < from || text[i] !== escape) return -1;
  if (i > from && text[i - 1] === escape) return -1;
  return i;
}

function isBlank(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 11 && c !== 12 && c !== 13) return false;
  }
  return true;
}

function isCommentLine(text: string, from: number, to: number): boolean {
  let i = from;
  while (i < to && (text[i] === ' ' || text[i] === '\t')) i++;
  return i < to && text[i] === '#';
}

/**
 * Joins one logical line the way BuildKit does, from `from` (an offset on the
 * instruction's first line) to the end of its last continuation line, but no
 * further than `lastLine`: escape + newline removed, comment lines and blank
 * lines inside the continuation dropped. Returns the joined text with its map
 * and the 0-based line where the logical line ended.
 */
export function joinLogicalLine(src: SourceText, from: number, lastLine: number, escape: string): { text: MappedText; endLine: number } {
  const out = new MappedText();
  let line = src.lineOf(from);
  let start = from;
  for (;;) {
    const end = src.lineEnd(line);
    const cont = continuationAt(src.text, start, end, escape);
    if (cont < 0 || line >= lastLine) {
      out.append(src.text, start, end);
      return { text: out, endLine: line };
    }
    out.append(src.text, start, cont);
    // Skip the comment and blank lines that follow inside the continuation.
    line++;
    while (line < lastLine && (isCommentLine(src.text, src.lineStart(line), src.lineEnd(line)) || isBlank(src.text, src.lineStart(line), src.lineEnd(line)))) line++;
    start = src.lineStart(line);
    if (line > lastLine || start >= src.text.length) return { text: out, endLine: Math.min(line, lastLine) };
  }
}

/** The value of a variable in scope: a string, or undefined when declared without a known value. */
export type Lookup = (name: string) => string | undefined;

/** Characters a variable's expansion may reach: a real value is a path or a version, never a megabyte. */
export const MAX_EXPANSION = 1024 * 1024;

/** An expansion past MAX_EXPANSION; the reader names the instruction. */
export class ExpansionTooLong extends Error {}

/**
 * Docker's variable substitution in instruction arguments (not RUN/CMD/
 * ENTRYPOINT, which the shell expands): `$NAME`, `${NAME}`, `${NAME:-word}`,
 * `${NAME-word}`, `${NAME:+word}`, `${NAME+word}`; the escape character
 * makes `$` literal. A variable with no known value is kept as written and
 * marks the result unresolved.
 */
export function expandVariables(text: string, lookup: Lookup, escape: string): { value: string; unresolved: boolean } {
  if (!text.includes('$')) return { value: text, unresolved: false };
  let out = '';
  let unresolved = false;
  let i = 0;
  while (i < text.length) {
    // ENV V2=${V1}${V1}, V3=${V2}${V2}, … doubles at each line: 28 lines would be gigabytes.
    if (out.length > MAX_EXPANSION) throw new ExpansionTooLong();
    const c = text[i]!;
    if (c === escape && text[i + 1] === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    if (text[i + 1] === '{') {
      const close = text.indexOf('}', i + 2);
      if (close < 0) {
        out += text.slice(i);
        break;
      }
      const inner = text.slice(i + 2, close);
      let n = 0;
      while (n < inner.length && isNameChar(inner.charCodeAt(n), n === 0)) n++;
      const name = inner.slice(0, n);
      const op = inner.slice(n);
      const value = name ? lookup(name) : undefined;
      if (op === '') {
        if (value === undefined) {
          unresolved = true;
          out += text.slice(i, close + 1);
        } else out += value;
      } else if (op.startsWith(':-') || op.startsWith('-')) {
        const word = op.slice(op.startsWith(':') ? 2 : 1);
        if (value === undefined) {
          // Unknown here may still be set by --build-arg; the default is what a plain build uses.
          out += word;
        } else out += value === '' && op.startsWith(':') ? word : value;
      } else if (op.startsWith(':+') || op.startsWith('+')) {
        const word = op.slice(op.startsWith(':') ? 2 : 1);
        if (value === undefined) out += '';
        else out += value === '' && op.startsWith(':') ? '' : word;
      } else {
        unresolved = true;
        out += text.slice(i, close + 1);
      }
      i = close + 1;
      continue;
    }
    let j = i + 1;
    while (j < text.length && isNameChar(text.charCodeAt(j), j === i + 1)) j++;
    if (j === i + 1) {
      out += '$';
      i++;
      continue;
    }
    const value = lookup(text.slice(i + 1, j));
    if (value === undefined) {
      unresolved = true;
      out += text.slice(i, j);
    } else out += value;
    i = j;
  }
  if (out.length > MAX_EXPANSION) throw new ExpansionTooLong();
  return { value: out, unresolved };
}

function isNameChar(c: number, first: boolean): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || (!first && c >= 48 && c <= 57);
}

/** Appends whole source lines [fromLine, toLine] with their newlines, without carriage returns (heredoc bodies). */
export function appendLines(out: MappedText, src: SourceText, fromLine: number, toLine: number): void {
  for (let line = fromLine; line <= toLine && line < src.lineCount; line++) {
    out.append(src.text, src.lineStart(line), src.lineEnd(line));
    appendNewline(out, src, line);
  }
}

/** Appends the `\n` that ends a source line (not its `\r`), if it has one. */
export function appendNewline(out: MappedText, src: SourceText, line: number): void {
  const end = src.lineEnd(line);
  const nl = src.text.charCodeAt(end) === 13 ? end + 1 : end;
  if (src.text.charCodeAt(nl) === 10) out.append(src.text, nl, nl + 1);
}
