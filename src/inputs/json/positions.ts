import type { ByteSource } from '../byte-source.js';

/**
 * Maps byte offsets of UTF-8 text to 1-based line and column, columns in
 * UTF-16 code units as editors and the rest of bulkhead count them (one per
 * character, two beyond the Basic Multilingual Plane). Lookups in increasing
 * order are cheapest: the cursor moves on from the last one, and a lookup
 * behind it starts again from the top. (The inspect locator no longer uses
 * it: it counts lines as it scans, see locate.ts's Place.)
 */
export class Positions {
  private offset = 0;
  private line = 1;
  private column = 1;

  constructor(private readonly bytes: Uint8Array) {}

  at(offset: number): { line: number; column: number } {
    if (offset < this.offset) {
      this.offset = 0;
      this.line = 1;
      this.column = 1;
    }
    const bytes = this.bytes;
    const end = Math.min(offset, bytes.length);
    let { line, column } = this;
    let from = this.offset;
    // Whole lines are skipped by their newlines (memchr), so only the last line's bytes are counted one by one.
    for (let nl = bytes.indexOf(0x0a, from); nl !== -1 && nl < end; nl = bytes.indexOf(0x0a, from)) {
      line++;
      column = 1;
      from = nl + 1;
    }
    for (let i = from; i < end; i++) {
      const b = bytes[i]!;
      if ((b & 0xc0) !== 0x80) column += b >= 0xf0 ? 2 : 1; // continuation bytes add nothing
    }
    this.offset = end;
    this.line = line;
    this.column = column;
    return { line, column };
  }
}

/** The line and column of a byte offset in a source read piece by piece (for an error message: one pass from the top). */
export function positionIn(source: ByteSource, offset: number, chunkSize = CHUNK): { line: number; column: number } {
  const end = Math.min(offset, source.size);
  let line = 1;
  let column = 1;
  for (let at = 0; at < end; at += chunkSize) {
    const chunk = source.read(at, Math.min(at + chunkSize, end));
    const p = new Positions(chunk).at(chunk.length);
    if (p.line > 1) {
      line += p.line - 1;
      column = p.column;
    } else column += p.column - 1;
  }
  return { line, column };
}

const CHUNK = 1 << 20;

/**
 * How many UTF-16 code units (what columns count everywhere in bulkhead, as
 * in editors) the UTF-8 bytes decode to: one per character, two for one
 * beyond the Basic Multilingual Plane; continuation bytes add nothing.
 */
export function utf16Length(bytes: Uint8Array, from: number, to: number): number {
  let units = 0;
  for (let i = from; i < to; i++) {
    const b = bytes[i]!;
    if ((b & 0xc0) !== 0x80) units += b >= 0xf0 ? 2 : 1;
  }
  return units;
}
