import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { Socket } from 'node:net';
import { relative, isAbsolute, resolve } from 'node:path';
import { InputError } from '../core/errors.js';
import { whileAgain } from '../linux/nonblocking.js';

/** Larger inputs are refused with a clear error rather than exhausting memory. */
export const MAX_INPUT_BYTES = 512 * 1024 * 1024;

/**
 * Reused for every text file read: the text is decoded out of it, so the
 * bytes need not outlive the call, and a scan of thousands of small files
 * touches this one buffer instead of allocating one per file.
 */
let textBuffer = Buffer.allocUnsafe(64 * 1024);
/** A larger file gets a buffer of its own, so one big file does not keep a big buffer for the rest of the run. */
const KEPT_BUFFER_BYTES = 1024 * 1024;

/**
 * A file's text (UTF-8, without a byte order mark), refusing folders and
 * files larger than bulkhead reads; errors name the file. One open, fstat,
 * read and close: no separate stat of the path.
 */
export function readTextFile(file: string): string {
  const { fd, size } = openInputFile(file, file);
  try {
    // One byte more than the size, so reaching the end needs no second buffer; the loop also reads files whose size says 0 (/proc).
    let buffer = size < textBuffer.length ? textBuffer : size < KEPT_BUFFER_BYTES ? (textBuffer = Buffer.allocUnsafe(size + 1)) : Buffer.allocUnsafe(size + 1);
    let used = 0;
    try {
      for (;;) {
        if (used === buffer.length) {
          if (used > MAX_INPUT_BYTES) throw new InputError(`${file}: more than the ${MAX_INPUT_BYTES} bytes bulkhead reads`);
          const bigger = Buffer.allocUnsafe(buffer.length * 2);
          buffer.copy(bigger, 0, 0, used);
          buffer = bigger;
        }
        const n = whileAgain(() => readSync(fd, buffer, used, buffer.length - used, null));
        if (n === 0) break;
        used += n;
      }
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw new InputError(`${file}: ${describeFsError(e)}`);
    }
    const bom = used >= 3 && hasBom(buffer) ? 3 : 0;
    return buffer.toString('utf8', bom, used);
  } finally {
    closeSync(fd);
  }
}

/** The path as findings show it: relative to the working folder when inside it. */
export function displayName(file: string): string {
  const rel = relative(process.cwd(), resolve(file));
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

export async function readStdin(): Promise<string> {
  return stripBom(await readStdinBytes()).toString('utf8');
}

/** Everything on stdin, as it came (byte order mark included: the reader of the bytes drops it). */
export async function readStdinBytes(): Promise<Buffer> {
  return readAllCapped(process.stdin, 'stdin');
}

/** Every chunk of a stream, up to the bytes bulkhead reads. */
async function readAllCapped(stream: AsyncIterable<Buffer>, name: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    total += chunk.length;
    if (total > MAX_INPUT_BYTES) throw new InputError(`${name}: more than the ${MAX_INPUT_BYTES} bytes bulkhead reads`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function stripBom(bytes: Buffer): Buffer {
  return hasBom(bytes) ? bytes.subarray(3) : bytes;
}

/** The bytes start with UTF-8's byte order mark. */
export function hasBom(bytes: Uint8Array): boolean {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

/**
 * Opens a file bulkhead is asked to read: one open and fstat, refusing a
 * folder or a file larger than bulkhead reads; errors name it as `name`.
 * The caller closes the fd. Opened without blocking: a FIFO nothing writes
 * to would otherwise hold the open, and the whole run, for ever (a signal
 * handler cannot run while it waits); read from, it is then at its end.
 */
export function openInputFile(path: string, name: string): { fd: number; size: number } {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw new InputError(`${name}: ${describeFsError(e)}`);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new InputError(`${name}: is a directory, expected a file`);
    // A device has no end (/dev/zero) or is not configuration; a FIFO or pipe is read to its end.
    if (st.isCharacterDevice() || st.isBlockDevice()) throw new InputError(`${name}: is a device, expected a file`);
    if (st.size > MAX_INPUT_BYTES) throw new InputError(`${name}: ${st.size} bytes is larger than the ${MAX_INPUT_BYTES} bytes bulkhead reads`);
    return { fd, size: st.size };
  } catch (e) {
    closeSync(fd);
    if (e instanceof InputError) throw e;
    throw new InputError(`${name}: ${describeFsError(e)}`);
  }
}

/** An fs error as a few words for a one-line message. */
export function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory, expected a file';
  return code ?? (e as Error).message;
}

/** A FIFO or a pipe (`<(…)`): read as a stream, not by offset. */
export function isStream(path: string): boolean {
  try {
    return statSync(path).isFIFO();
  } catch {
    return false; // openInputFile says why
  }
}

/**
 * All of a FIFO's bytes, up to the cap, read on the event loop: opened
 * without blocking and read as a pipe, so no thread waits in the kernel for
 * a writer (a thread left waiting in open() would keep the process from ever
 * exiting, Ctrl-C included). With no writer yet it waits for one, as `cat`
 * does, and Ctrl-C ends the wait.
 */
export async function readStreamBytes(path: string, name: string): Promise<Buffer> {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw new InputError(`${name}: ${describeFsError(e)}`);
  }
  const pipe = new Socket({ fd, readable: true, writable: false });
  try {
    return await readAllCapped(pipe, name);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${name}: ${describeFsError(e)}`);
  } finally {
    pipe.destroy();
  }
}
