import { jsonText } from './sanitize.js';

/**
 * Writes JSON text as UTF-8 straight into one reused buffer: a report's
 * repeated parts as bytes encoded once, its values as they come, and no
 * string per finding in between. Every write says whether it fit; one that
 * does not writes nothing, so a caller can undo a half-written element
 * (truncate) and go on in a fresh buffer.
 */
export class ByteWriter {
  private readonly buffer: Buffer;
  private used = 0;

  constructor(size: number) {
    this.buffer = Buffer.allocUnsafe(size);
  }

  /** How many bytes are written: a mark to truncate to. */
  get length(): number {
    return this.used;
  }

  bytes(bytes: Uint8Array): boolean {
    if (this.used + bytes.length > this.buffer.length) return false;
    this.buffer.set(bytes, this.used);
    this.used += bytes.length;
    return true;
  }

  /** A number as JSON writes it (null when it is not finite). */
  number(n: number): boolean {
    if (!Number.isSafeInteger(n) || n < 0) {
      const text = Number.isFinite(n) ? String(n) : 'null';
      if (this.used + text.length > this.buffer.length) return false;
      this.used += this.buffer.write(text, this.used, 'latin1');
      return true;
    }
    // A line or a column: its digits, with no string made for them.
    let digits = 1;
    for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) digits++;
    if (this.used + digits > this.buffer.length) return false;
    for (let at = this.used + digits - 1, rest = n; at >= this.used; at--, rest = Math.floor(rest / 10)) this.buffer[at] = 0x30 + (rest % 10);
    this.used += digits;
    return true;
  }

  /** `text` as a JSON string, as jsonText writes it. */
  json(text: string): boolean {
    const n = text.length;
    if (this.used + n + 2 <= this.buffer.length) {
      // Printable ASCII but the quote and the backslash is written as it is, a byte per character, checked and
      // copied in one pass (a message, a path, a file name): a regular expression and Buffer#write cost more.
      const buffer = this.buffer;
      let at = this.used;
      buffer[at++] = QUOTE;
      let i = 0;
      for (; i < n; i++) {
        const c = text.charCodeAt(i);
        if (c < 0x20 || c > 0x7e || c === QUOTE || c === BACKSLASH) break;
        buffer[at++] = c;
      }
      if (i === n) {
        buffer[at++] = QUOTE;
        this.used = at;
        return true;
      }
      // Something to escape, or beyond ASCII: what was copied is past `used`, so not written.
    }
    const quoted = jsonText(text);
    // A UTF-16 code unit takes at most 3 bytes in UTF-8.
    if (this.used + quoted.length * 3 > this.buffer.length) return false;
    this.used += this.buffer.write(quoted, this.used, 'utf8');
    return true;
  }

  /** Forgets what was written after `mark` (a `length` read before). */
  truncate(mark: number): void {
    this.used = Math.min(this.used, mark);
  }

  /** What is written, handed out and forgotten: valid until the next write. */
  take(): Uint8Array {
    const bytes = this.buffer.subarray(0, this.used);
    this.used = 0;
    return bytes;
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
