import type { ByteSource } from '../byte-source.js';
import { utf16Length } from './positions.js';

/**
 * A top-level value of a JSON document: its bytes, and the line and column
 * (1-based, columns in UTF-16 code units) where it starts.
 */
export interface Element {
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly column: number;
  /** Set when the element is laid out one item per line, indented by depth (see Layout). */
  readonly layout: Layout | undefined;
}

/**
 * How a pretty-printed element is laid out, as `docker inspect` (Go's
 * MarshalIndent), `jq` and JSON.stringify(…, null, n) write it: every key and
 * array element starts a line of its own, indented with `indent + unit × depth`
 * spaces (depth 1 for the element's own keys), and every closing bracket of a
 * non-empty object or array starts a line at its opener's depth. The splitter
 * checks this of every line as it passes, so a locator may then walk the
 * element a line at a time instead of a token at a time.
 */
export interface Layout {
  /** Spaces before the element's opening bracket on its line. */
  readonly indent: number;
  /** Spaces per level of depth, at least 1. */
  readonly unit: number;
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

/** The input is read this many bytes at a time. */
const CHUNK = 1 << 20;

/**
 * Finds the elements of a top-level JSON array in its UTF-8 bytes, read a
 * megabyte at a time, without building the array or decoding it, so that
 * each element can be read, parsed and dropped on its own: `docker inspect`
 * output for thousands of containers never lives in memory whole. (UTF-8
 * never puts a byte below 0x80 inside a multi-byte character, so the
 * structure can be read byte by byte.) A top-level object counts as one
 * element. Only structure is checked here; JSON.parse of each element finds
 * any other error. (readInspect feeds an ElementSplitter itself, to read each
 * element while its bytes are at hand; this splits a whole input first.)
 */
export function topLevelElements(source: ByteSource, chunk = CHUNK): Element[] {
  const splitter = new ElementSplitter();
  for (let at = 0; at < source.size; at += chunk) splitter.feed(source.read(at, Math.min(at + chunk, source.size)), at);
  return splitter.finish(source.size);
}

// Where the splitter is: before the document, before an element, inside one, after one, after the document.
const START = 0;
const FIRST = 1; // after '[': an element or ']'
const NEXT = 2; // after ',': an element
const INSIDE = 3; // in an object or array element
const STRING = 4; // in a string inside an element
const ESCAPE = 5; // after a backslash in a string
const SCALAR = 6; // in a number, true, false or null element
const SCALAR_STRING = 7; // in a string element
const SCALAR_ESCAPE = 8;
const AFTER = 9; // after an element: ',' or ']'
const END = 10; // after the document: only whitespace

/**
 * A state machine fed one chunk at a time, so elements may span chunks; a
 * reader may take the elements completed so far between chunks (readInspect
 * reads each while the bytes are at hand).
 * Lines are counted as it goes (newlines outside strings: the only place
 * valid JSON has them), and columns from the last mark on the current line,
 * so minified JSON (one line of thousands of elements) stays linear.
 * Plain loops on purpose: this runs over every byte of the input.
 */
export class ElementSplitter {
  private elements: Element[] = [];
  private state = START;
  /** The document is one object, not an array. */
  private single = false;
  private depth = 0;
  private start = 0;
  private startLine = 0;
  private startColumn = 0;
  private stringStart = 0;
  private line = 1;
  /** UTF-16 units from the start of the line up to `mark`. */
  private columnBase = 0;
  private mark = 0;
  // The current element's layout as far as it has been read (see Layout): still laid out so, and the spaces
  // before its opening bracket and per level (0 until its first line break). `lineFirst` is the offset of
  // the first byte after the indentation of the current line.
  private laidOut = false;
  private indent = 0;
  private unit = 0;
  private lineFirst = 0;

  feed(chunk: Uint8Array, base: number): void {
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      const state = this.state;
      if (state === INSIDE) {
        i = this.inside(chunk, i, base);
        continue;
      }
      if (state === STRING || state === SCALAR_STRING) {
        for (; i < n; i++) {
          const c = chunk[i];
          if (c === BACKSLASH) {
            if (i + 1 < n) i++;
            else this.state = state === STRING ? ESCAPE : SCALAR_ESCAPE;
          } else if (c === QUOTE) {
            if (state === STRING) this.state = INSIDE;
            else this.endElement(base + i + 1);
            i++;
            break;
          }
        }
        continue;
      }
      // The other states take a byte at a time: they see a few bytes per element.
      const c = chunk[i]!;
      const offset = base + i;
      i++;
      if (state === ESCAPE) {
        this.state = STRING;
        continue;
      }
      if (state === SCALAR_ESCAPE) {
        this.state = SCALAR_STRING;
        continue;
      }
      if (state === SCALAR) {
        if (!isDelimiter(c)) continue;
        this.endElement(offset);
        i--; // the delimiter is read again, after the element
        continue;
      }
      if (c === NEWLINE) {
        this.newline(offset);
        continue;
      }
      if (c === SPACE || c === RETURN || c === TAB) continue;
      switch (state) {
        case START:
          if (c === OPEN_BRACKET) this.state = FIRST;
          else if (c === OPEN_BRACE) {
            this.single = true;
            this.beginElement(chunk, base, offset, c);
          } else throw new JsonShapeError('expected a JSON array or object', offset);
          break;
        case FIRST:
          if (c === CLOSE_BRACKET) this.state = END;
          else this.beginElement(chunk, base, offset, c);
          break;
        case NEXT:
          this.beginElement(chunk, base, offset, c);
          break;
        case AFTER:
          if (c === COMMA) this.state = NEXT;
          else if (c === CLOSE_BRACKET) this.state = END;
          else throw new JsonShapeError("expected ',' or ']'", offset);
          break;
        default: // END
          throw new JsonShapeError('unexpected text after the JSON value', offset);
      }
    }
    // The rest of this chunk counts towards the columns of the current line.
    const from = this.mark - base;
    if (from >= 0 && from < n) {
      this.columnBase += utf16Length(chunk, from, n);
      this.mark = base + n;
    }
  }

  /**
   * The hot loop: the bulk of every element, from `i` until the element ends, a string runs past the chunk, or
   * the chunk ends; returns where it stopped. Lines are counted in locals and written back on the way out.
   */
  private inside(chunk: Uint8Array, i: number, base: number): number {
    const n = chunk.length;
    let depth = this.depth;
    let line = this.line;
    let lastNewline = -1;
    let laidOut = this.laidOut;
    let unit = this.unit;
    const indent = this.indent;
    let lineFirst = this.lineFirst - base;
    // Where a string starts that runs past the chunk, if one does.
    let stringAt = -1;
    // What the layout needs to see on both sides of a byte is looked at within this chunk only: an element
    // that has one of those bytes at a chunk's edge (one in a megabyte) is simply not called laid out.
    for (; i < n; i++) {
      const c = chunk[i];
      if (c === SPACE) continue; // indentation: the most common byte of `docker inspect` output
      if (c === QUOTE) {
        // The string is skipped here when it ends in this chunk, as nearly all do: a trip through the
        // states per string (2.4 million in the benchmark's 62 MB) cost more than the bytes inside them.
        let j = i + 1;
        while (j < n && chunk[j] !== QUOTE) j += chunk[j] === BACKSLASH ? 2 : 1;
        if (j < n) {
          i = j;
          continue;
        }
        stringAt = i;
        break;
      }
      if (c === NEWLINE) {
        line++;
        lastNewline = i;
        if (laidOut) {
          // A line break comes after a comma or an opening bracket, or before a closing one, and the line is
          // indented for its depth with spaces. The indentation is skipped here.
          let j = i + 1;
          while (j < n && chunk[j] === SPACE) j++;
          // (Never reading past the chunk: an out-of-bounds read sends this loop back to the interpreter.)
          if (j === n || i === 0) laidOut = false;
          else {
            const next = chunk[j];
            const prev = chunk[i - 1];
            const closes = next === CLOSE_BRACE || next === CLOSE_BRACKET;
            const spaces = j - i - 1 - indent;
            if (unit === 0) unit = spaces;
            // (A blank line fails on its indentation.)
            if (
              next === TAB ||
              next === RETURN ||
              unit <= 0 ||
              spaces !== unit * (closes ? depth - 1 : depth) ||
              !(closes || prev === COMMA || prev === OPEN_BRACE || prev === OPEN_BRACKET)
            )
              laidOut = false;
          }
          lineFirst = j;
          i = j - 1;
        }
      } else if (c === COMMA) {
        if (i + 1 === n || chunk[i + 1] !== NEWLINE) laidOut = false;
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        depth++;
        // `{` + 2 is `}`, `[` + 2 is `]`: an empty one may close on its line.
        if (i + 1 === n || (chunk[i + 1] !== NEWLINE && chunk[i + 1] !== c + 2)) laidOut = false;
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        if (i !== lineFirst && (i === 0 || chunk[i - 1] !== c - 2)) laidOut = false;
        // Counted, not matched: a mismatch makes the element invalid JSON, which its JSON.parse reports.
        if (--depth === 0) {
          this.laidOut = laidOut;
          this.unit = unit;
          this.endElement(base + i + 1);
          i++;
          break;
        }
      }
    }
    this.depth = depth;
    this.laidOut = laidOut;
    this.unit = unit;
    this.lineFirst = base + lineFirst;
    if (lastNewline >= 0) {
      // As newline() leaves it after the last newline.
      this.line = line;
      this.columnBase = 0;
      this.mark = base + lastNewline + 1;
    }
    // A string that runs past the chunk goes on in the STRING state, from the byte after its quote. Worked out
    // on every way out, not only on that rare one (once a megabyte): V8 deoptimised this loop (5–12 ms each
    // time, here) the first time its optimised code met arithmetic that had never run before.
    const resume = stringAt + 1;
    this.stringStart = base + stringAt;
    this.state = stringAt >= 0 ? STRING : this.state;
    return stringAt >= 0 ? resume : i;
  }

  /** Where the element being read starts, when the bytes fed so far end inside one. */
  get open(): number | undefined {
    return this.state === START || this.state === FIRST || this.state === NEXT || this.state === AFTER || this.state === END ? undefined : this.start;
  }

  /** The elements completed since the last take (or since the start). */
  take(): Element[] {
    const done = this.elements;
    this.elements = [];
    return done;
  }

  /** After the last chunk (the input is `size` bytes): the elements not taken yet, or an error if the document is not over. */
  finish(size: number): Element[] {
    if (this.state === SCALAR) this.endElement(size);
    switch (this.state) {
      case END:
        return this.elements;
      case START:
        throw new JsonShapeError('empty input, expected a JSON array', size);
      case INSIDE:
        throw new JsonShapeError('unexpected end of input (unclosed bracket)', size);
      case STRING:
      case ESCAPE:
      case SCALAR_STRING:
      case SCALAR_ESCAPE:
        throw new JsonShapeError('unexpected end of input (unterminated string)', this.stringStart);
      default:
        throw new JsonShapeError('unexpected end of input', size);
    }
  }

  private newline(offset: number): void {
    this.line++;
    this.columnBase = 0;
    this.mark = offset + 1;
  }

  private beginElement(chunk: Uint8Array, base: number, offset: number, c: number): void {
    if (isDelimiter(c)) throw new JsonShapeError(`unexpected '${String.fromCharCode(c)}'`, offset);
    // The mark is never before this chunk (see the end of feed), so the column is counted within it.
    this.columnBase += utf16Length(chunk, this.mark - base, offset - base);
    this.mark = offset;
    this.start = offset;
    this.startLine = this.line;
    this.startColumn = this.columnBase + 1;
    // Laid out only if nothing but spaces comes before the opening bracket on its line, and its line ends after it.
    let k = offset - base - 1;
    while (k >= 0 && chunk[k] === SPACE) k--;
    this.laidOut = (k >= 0 ? chunk[k] === NEWLINE : base === 0) && offset - base + 1 < chunk.length && chunk[offset - base + 1] === NEWLINE;
    this.indent = offset - base - k - 1;
    this.unit = 0;
    this.lineFirst = offset;
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      this.depth = 1;
      this.state = INSIDE;
    } else if (c === QUOTE) {
      this.stringStart = offset;
      this.state = SCALAR_STRING;
    } else this.state = SCALAR;
  }

  private endElement(end: number): void {
    // A scalar, or an object or array on one line, has nothing to walk line by line. (Every element has the
    // same fields, so that the hot loop, into which this is inlined, sees one shape.)
    const layout = this.state === INSIDE && this.laidOut && this.unit > 0 ? { indent: this.indent, unit: this.unit } : undefined;
    this.elements.push({ start: this.start, end, line: this.startLine, column: this.startColumn, layout });
    this.state = this.single ? END : AFTER;
  }
}

function isDelimiter(c: number): boolean {
  return c === COMMA || c === CLOSE_BRACKET || c === CLOSE_BRACE || c === SPACE || c === NEWLINE || c === RETURN || c === TAB;
}
