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

  /** Text known to be ASCII (a number). */
  ascii(text: string): boolean {
    if (this.used + text.length > this.buffer.length) return false;
    this.used += this.buffer.write(text, this.used, 'latin1');
    return true;
  }

  /** `text` as a JSON string, exactly as JSON.stringify writes it. */
  json(text: string): boolean {
    if (PLAIN.test(text)) {
      // Nothing to escape and nothing beyond ASCII: the text between two quotes, with no string made for it.
      if (this.used + text.length + 2 > this.buffer.length) return false;
      this.buffer[this.used++] = QUOTE;
      this.used += this.buffer.write(text, this.used, 'latin1');
      this.buffer[this.used++] = QUOTE;
      return true;
    }
    const quoted = JSON.stringify(text);
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

/** Printable ASCII but the quote and the backslash: what JSON.stringify writes as it is. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const QUOTE = 0x22;
