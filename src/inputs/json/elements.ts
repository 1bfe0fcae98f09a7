/**
 * A top-level value of a JSON document: its bytes, and the line and column
 * (1-based, in characters) where it starts.
 */
export interface Element {
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly column: number;
}

export class JsonShapeError extends Error {
  constructor(
    message: string,
    /** A byte offset. */
    readonly offset: number,
  ) {
    super(message);
  }
}

const SPACE = 0x20;
const NEWLINE = 0x0a;
const RETURN = 0x0d;
const TAB = 0x09;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/**
 * Finds the elements of a top-level JSON array in its UTF-8 bytes without
 * building it or decoding it whole, so that each element can be decoded,
 * parsed and dropped on its own: `docker inspect` output for thousands of
 * containers never lives in memory as one string. (UTF-8 never puts a byte
 * below 0x80 inside a multi-byte character, so the structure can be read
 * byte by byte.) A top-level object counts as one element. Only structure is
 * checked here; JSON.parse of each element finds any other error.
 */
export function topLevelElements(bytes: Uint8Array): Element[] {
  const scan = new Scanner(bytes);
  let i = scan.skipSpace(0);
  if (bytes[i] === OPEN_BRACE) {
    const element = scan.element(i);
    scan.expectEnd(element.end);
    return [element];
  }
  if (bytes[i] !== OPEN_BRACKET) throw new JsonShapeError(i >= bytes.length ? 'empty input, expected a JSON array' : 'expected a JSON array or object', i);
  const elements: Element[] = [];
  i = scan.skipSpace(i + 1);
  if (bytes[i] === CLOSE_BRACKET) {
    scan.expectEnd(i + 1);
    return elements;
  }
  for (;;) {
    const element = scan.element(i);
    elements.push(element);
    i = scan.skipSpace(element.end);
    if (bytes[i] === COMMA) {
      i = scan.skipSpace(i + 1);
      continue;
    }
    if (bytes[i] === CLOSE_BRACKET) {
      scan.expectEnd(i + 1);
      return elements;
    }
    throw new JsonShapeError(i >= bytes.length ? 'unexpected end of input' : "expected ',' or ']'", i);
  }
}

/**
 * Walks the bytes forward, counting lines as it goes (outside strings, the
 * only place valid JSON has a newline). Plain loops on purpose: this runs
 * over every byte of the input, and per-line calls such as indexOf cost more
 * than the loop on millions of short lines.
 */
class Scanner {
  private line = 1;
  private lineStart = 0;
  /** The last element start on the current line, and its column: minified JSON is one long line. */
  private columnAt = { offset: 0, column: 1 };

  constructor(private readonly bytes: Uint8Array) {}

  /** The value starting at `start`, with its position. */
  element(start: number): Element {
    if (this.columnAt.offset < this.lineStart) this.columnAt = { offset: this.lineStart, column: 1 };
    const column = this.columnAt.column + utf16Length(this.bytes, this.columnAt.offset, start);
    this.columnAt = { offset: start, column };
    const line = this.line; // before skipValue moves it past the element's own lines
    return { start, end: this.skipValue(start), line, column };
  }

  skipSpace(i: number): number {
    const bytes = this.bytes;
    for (; i < bytes.length; i++) {
      const c = bytes[i];
      if (c === NEWLINE) {
        this.line++;
        this.lineStart = i + 1;
      } else if (c !== SPACE && c !== RETURN && c !== TAB) break;
    }
    return i;
  }

  expectEnd(i: number): void {
    const j = this.skipSpace(i);
    if (j < this.bytes.length) throw new JsonShapeError('unexpected text after the JSON value', j);
  }

  /**
   * Returns the offset just past the value starting at `i`. Brackets are
   * counted, not matched: a mismatch makes the element invalid JSON, which
   * its JSON.parse reports.
   */
  private skipValue(i: number): number {
    const bytes = this.bytes;
    const open = bytes[i];
    if (open === QUOTE) return skipString(bytes, i);
    if (open !== OPEN_BRACE && open !== OPEN_BRACKET) {
      // A scalar: runs to the next delimiter.
      let j = i;
      while (j < bytes.length && !isDelimiter(bytes[j]!)) j++;
      if (j === i) throw new JsonShapeError(j >= bytes.length ? 'unexpected end of input' : `unexpected '${String.fromCharCode(bytes[j]!)}'`, j);
      return j;
    }
    let depth = 0;
    let line = this.line;
    let lineStart = this.lineStart;
    for (let j = i; j < bytes.length; j++) {
      const c = bytes[j];
      if (c === QUOTE) j = skipString(bytes, j) - 1;
      else if (c === NEWLINE) {
        line++;
        lineStart = j + 1;
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        if (--depth === 0) {
          this.line = line;
          this.lineStart = lineStart;
          return j + 1;
        }
      }
    }
    throw new JsonShapeError('unexpected end of input (unclosed bracket)', bytes.length);
  }
}

/**
 * How many UTF-16 code units (what columns count everywhere in bulkhead, as
 * in editors) the UTF-8 bytes decode to: one per character, two for one
 * beyond the Basic Multilingual Plane; continuation bytes add nothing.
 */
function utf16Length(bytes: Uint8Array, from: number, to: number): number {
  let units = 0;
  for (let i = from; i < to; i++) {
    const b = bytes[i]!;
    if ((b & 0xc0) !== 0x80) units += b >= 0xf0 ? 2 : 1;
  }
  return units;
}

function isDelimiter(c: number): boolean {
  return c === COMMA || c === CLOSE_BRACKET || c === CLOSE_BRACE || c === SPACE || c === NEWLINE || c === RETURN || c === TAB;
}

function skipString(bytes: Uint8Array, i: number): number {
  for (let j = i + 1; j < bytes.length; j++) {
    const c = bytes[j];
    if (c === BACKSLASH) j++;
    else if (c === QUOTE) return j + 1;
  }
  throw new JsonShapeError('unexpected end of input (unterminated string)', i);
}
