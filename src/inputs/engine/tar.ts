/**
 * A tar reader that is fed bytes as they arrive and keeps only what it must:
 * one 512-byte header at a time, and the few bodies that are metadata (pax
 * extended headers, GNU long names, capped). Entry bodies are handed to the
 * caller in the pieces they came in, or skipped, never collected. Reads
 * ustar, pax (`x`, `g`: path, linkpath, size) and GNU (`L`, `K`, base-256
 * sizes). Anything malformed is a TarError: a bad header checksum, a size
 * that is not a number, metadata over its cap, or input that ends inside an
 * entry.
 */

import { quoted } from '../../reporters/sanitize.js';

export class TarError extends Error {}

const BLOCK = 512;
/** pax and GNU long-name bodies are held in memory to be read: no honest one comes near this. */
const MAX_META = 1024 * 1024;

export interface TarEntry {
  /** The path as written (pax `path` or GNU long name when there is one). */
  readonly name: string;
  /** The typeflag: '0' file, '1' hard link, '2' symlink, '5' directory, … ('\0' is read as '0'). */
  readonly type: string;
  /** Permission and set-id bits (mode & 0o7777). */
  readonly mode: number;
  readonly size: number;
  readonly linkName: string;
}

/** Receives an entry's body, piece by piece; may return a promise to slow the reader down (backpressure). */
export type BodySink = (piece: Buffer) => void | Promise<void>;

export interface TarHandlers {
  /** Called for each entry; return a sink to receive its body, or undefined to skip it. */
  entry(e: TarEntry): BodySink | undefined;
  /** Called when the entry's body has been fully received (only for entries given a sink). */
  entryEnd?(): void | Promise<void>;
}

type State = 'header' | 'body' | 'meta' | 'padding' | 'done';

export class TarReader {
  private state: State = 'header';
  /** The header being assembled (headers may arrive split across pieces). */
  private readonly header = Buffer.alloc(BLOCK);
  private headerFill = 0;
  /** Bytes left in the current body, and in the padding after it. */
  private remaining = 0;
  private padding = 0;
  private sink: BodySink | undefined;
  /** A metadata body being read (pax or GNU long name), and what it is. */
  private meta: Buffer[] = [];
  private metaKind = '';
  /** Overrides for the next entry, from pax `x` / GNU `L`/`K`; pax `g` for all later entries. */
  private next: { path?: string; linkpath?: string; size?: number } = {};
  private global: { path?: string; linkpath?: string; size?: number } = {};

  constructor(private readonly handlers: TarHandlers) {}

  /** True once the end-of-archive marker (a zero block) has been read. */
  get finished(): boolean {
    return this.state === 'done';
  }

  /** Feeds the next piece of the archive. Awaits the body sinks' promises, so a slow consumer slows the feed. */
  async push(chunk: Buffer): Promise<void> {
    let at = 0;
    while (at < chunk.length && this.state !== 'done') {
      switch (this.state) {
        case 'header': {
          const n = Math.min(BLOCK - this.headerFill, chunk.length - at);
          chunk.copy(this.header, this.headerFill, at, at + n);
          this.headerFill += n;
          at += n;
          if (this.headerFill === BLOCK) {
            this.headerFill = 0;
            await this.onHeader();
          }
          break;
        }
        case 'body': {
          const n = Math.min(this.remaining, chunk.length - at);
          const piece = chunk.subarray(at, at + n);
          at += n;
          this.remaining -= n;
          if (this.sink) {
            const wait = this.sink(piece);
            if (wait) await wait;
          }
          if (this.remaining === 0) await this.endBody();
          break;
        }
        case 'meta': {
          const n = Math.min(this.remaining, chunk.length - at);
          this.meta.push(Buffer.from(chunk.subarray(at, at + n)));
          at += n;
          this.remaining -= n;
          if (this.remaining === 0) {
            this.onMeta(Buffer.concat(this.meta));
            this.meta = [];
            this.toPadding();
          }
          break;
        }
        case 'padding': {
          const n = Math.min(this.padding, chunk.length - at);
          at += n;
          this.padding -= n;
          if (this.padding === 0) this.state = 'header';
          break;
        }
      }
    }
  }

  /** Says the input has ended: a TarError when it ended inside an entry. A missing end-of-archive marker is tolerated, as tar does. */
  end(): void {
    if (this.state === 'done' || (this.state === 'header' && this.headerFill === 0)) return;
    throw new TarError('the archive ends in the middle of an entry (truncated)');
  }

  private async onHeader(): Promise<void> {
    const h = this.header;
    if (isZero(h)) {
      // Two zero blocks end an archive; one is enough for us, and some writers stop there.
      this.state = 'done';
      return;
    }
    if (!checksumOk(h)) throw new TarError('bad header checksum: not a tar archive, or a corrupt one');
    const type = h[156] === 0 ? '0' : String.fromCharCode(h[156]!);
    const size = this.next.size ?? this.global.size ?? readSize(h);
    if (type === 'x' || type === 'g' || type === 'L' || type === 'K') {
      if (size > MAX_META) throw new TarError(`a ${type} metadata entry of ${size} bytes (more than ${MAX_META}): refused`);
      this.metaKind = type;
      this.remaining = size;
      this.padding = pad(size);
      if (size === 0) {
        this.onMeta(Buffer.alloc(0));
        this.toPadding();
      } else this.state = 'meta';
      return;
    }
    const ustar = h.toString('latin1', 257, 263) === 'ustar\0';
    const plainName = cString(h, 0, 100);
    const prefix = ustar ? cString(h, 345, 155) : '';
    const entry: TarEntry = {
      name: this.next.path ?? this.global.path ?? (prefix ? `${prefix}/${plainName}` : plainName),
      type,
      mode: readOctal(h, 100, 8, 'mode') & 0o7777,
      size,
      linkName: this.next.linkpath ?? this.global.linkpath ?? cString(h, 157, 100),
    };
    this.next = {};
    // Links, directories and devices carry no body whatever their size field says.
    const hasBody = type !== '1' && type !== '2' && type !== '3' && type !== '4' && type !== '5' && type !== '6';
    this.remaining = hasBody ? size : 0;
    this.padding = hasBody ? pad(size) : 0;
    this.sink = this.handlers.entry(entry);
    if (this.remaining > 0) this.state = 'body';
    else await this.endBody();
  }

  private async endBody(): Promise<void> {
    if (this.sink) {
      this.sink = undefined;
      const wait = this.handlers.entryEnd?.();
      if (wait) await wait;
    }
    this.toPadding();
  }

  private toPadding(): void {
    this.state = this.padding > 0 ? 'padding' : 'header';
  }

  private onMeta(body: Buffer): void {
    if (this.metaKind === 'L') this.next.path = cString(body, 0, body.length);
    else if (this.metaKind === 'K') this.next.linkpath = cString(body, 0, body.length);
    else Object.assign(this.metaKind === 'g' ? this.global : this.next, paxRecords(body));
  }
}

/** pax records `LEN key=value\n`: the keys that change how we read the entry. */
function paxRecords(body: Buffer): { path?: string; linkpath?: string; size?: number } {
  const out: { path?: string; linkpath?: string; size?: number } = {};
  let at = 0;
  while (at < body.length) {
    const space = body.indexOf(0x20, at);
    if (space < 0) break;
    const len = Number(body.toString('latin1', at, space));
    if (!Number.isInteger(len) || len <= space - at || at + len > body.length) throw new TarError('malformed pax header record');
    const record = body.toString('utf8', space + 1, at + len - 1);
    at += len;
    const eq = record.indexOf('=');
    if (eq < 0) continue;
    const key = record.slice(0, eq);
    const value = record.slice(eq + 1);
    if (key === 'path') out.path = value;
    else if (key === 'linkpath') out.linkpath = value;
    else if (key === 'size') {
      const n = Number(value);
      if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new TarError(`pax size ${quoted(value, { max: 40 })} is not a size`);
      out.size = n;
    }
  }
  return out;
}

function isZero(b: Buffer): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}

/** The header checksum: the sum of its bytes with the checksum field read as spaces (unsigned; old writers used signed). */
function checksumOk(h: Buffer): boolean {
  const field = h.toString('latin1', 148, 156).replace(/\0.*$/s, '').trim();
  if (!/^[0-7]+$/.test(field)) return false;
  const want = parseInt(field, 8);
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : h[i]!;
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return want === unsigned || want === signed;
}

function cString(b: Buffer, start: number, length: number): string {
  const end = Math.min(b.length, start + length);
  const nul = b.indexOf(0, start);
  return b.toString('utf8', start, nul >= 0 && nul < end ? nul : end);
}

function readOctal(h: Buffer, start: number, length: number, what: string): number {
  const text = h.toString('latin1', start, start + length).replace(/\0.*$/s, '').trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw new TarError(`header ${what} ${quoted(text, { max: 40 })} is not an octal number`);
  const n = parseInt(text, 8);
  if (!Number.isSafeInteger(n)) throw new TarError(`header ${what} is too large`);
  return n;
}

/** The size field: octal, or GNU base-256 (high bit of the first byte set) for sizes past 8 GiB. */
function readSize(h: Buffer): number {
  if ((h[124]! & 0x80) === 0) return readOctal(h, 124, 12, 'size');
  if (h[124] === 0xff) throw new TarError('negative size in header');
  let n = h[124]! & 0x7f;
  for (let i = 125; i < 136; i++) {
    n = n * 256 + h[i]!;
    if (!Number.isSafeInteger(n)) throw new TarError('header size is too large');
  }
  return n;
}

function pad(size: number): number {
  const r = size % BLOCK;
  return r === 0 ? 0 : BLOCK - r;
}

/** True when the block is a tar header (its checksum holds) or the zero block that ends an empty archive. */
export function looksLikeTar(first: Buffer): boolean {
  if (first.length < BLOCK) return false;
  const block = first.subarray(0, BLOCK);
  return isZero(block) || checksumOk(block);
}
