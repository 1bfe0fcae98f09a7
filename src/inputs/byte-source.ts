import { closeSync, readSync } from 'node:fs';
import { InputError } from '../core/errors.js';
import { describeFsError, displayName, hasBom, isStream, openInputFile, readStdinBytes, readStreamBytes } from './read-input.js';

/**
 * The bytes of an input, read a piece at a time: a file by offset (so tens of
 * megabytes are never read, or held, whole: on these machines fresh memory
 * costs more to touch than the reading does), or bytes already in memory
 * (stdin). A UTF-8 byte order mark at the start is not part of it.
 */
export interface ByteSource {
  readonly size: number;
  /** Bytes [start, end). The view is valid until the next read of this source. */
  read(start: number, end: number): Buffer;
  close(): void;
}

/** A named file, or stdin for '-', and the name to show for it (cwd-relative when inside it). */
export async function openInput(file: string): Promise<{ source: ByteSource; name: string }> {
  if (file === '-') return { source: bytesSource(await readStdinBytes()), name: '-' };
  // A FIFO or `<(docker inspect …)` has no offsets to read by.
  if (isStream(file)) return { source: bytesSource(await readStreamBytes(file, file)), name: displayName(file) };
  return { source: fileSource(file), name: displayName(file) };
}

export function bytesSource(input: Uint8Array): ByteSource {
  const all = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const bytes = hasBom(all) ? all.subarray(3) : all;
  return { size: bytes.length, read: (start, end) => bytes.subarray(start, end), close: () => undefined };
}

/** Bytes read at once: callers walk the file forward in pieces of a few kilobytes (one container each). */
const WINDOW = 1 << 20;

/**
 * An open file read by offset into one buffer that grows to the largest piece
 * asked for. Reads are a window of a megabyte at a time, and a piece inside
 * the window is served from it: 10,000 containers are two passes of ~60
 * reads, not of 10,000 (a read costs tens of microseconds on these VMs).
 */
export function fileSource(file: string): ByteSource {
  const { fd, size } = openInputFile(file, file);
  let buffer = Buffer.allocUnsafe(Math.min(size, WINDOW));
  // The bytes [windowStart, windowEnd) of the file are in buffer[0…].
  let windowStart = 0;
  let windowEnd = 0;
  const readAt = (start: number, length: number): Buffer => {
    if (length > buffer.length) buffer = Buffer.allocUnsafe(Math.max(length, buffer.length * 2));
    let done = 0;
    while (done < length) {
      let n: number;
      try {
        n = readSync(fd, buffer, done, length - done, start + done);
      } catch (e) {
        throw new InputError(`${file}: ${describeFsError(e)}`);
      }
      if (n === 0) throw new InputError(`${file}: the file got shorter while it was read`);
      done += n;
    }
    return buffer.subarray(0, length);
  };
  const skip = size >= 3 && hasBom(readAt(0, 3)) ? 3 : 0;
  const read = (start: number, end: number): Buffer => {
    const from = start + skip;
    const to = from + Math.max(0, Math.min(end, size - skip) - start);
    if (from < windowStart || to > windowEnd) {
      const length = Math.max(to - from, Math.min(WINDOW, size - from));
      readAt(from, length);
      windowStart = from;
      windowEnd = from + length;
    }
    return buffer.subarray(from - windowStart, to - windowStart);
  };
  return { size: size - skip, read, close: () => closeSync(fd) };
}
