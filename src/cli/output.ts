import { randomBytes } from 'node:crypto';
import { closeSync, constants, fchmodSync, lstatSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { InputError } from '../core/errors.js';
import { whileAgain } from '../linux/nonblocking.js';
import type { ReportPiece } from '../reporters/json-pieces.js';

/**
 * Writes a file whole or not at all: a temp file beside it, then rename, so
 * an interrupted run never leaves a half-written report. A `mode` given is
 * set exactly (the umask does not narrow it) before the file takes its name.
 *
 * What is not a file to replace is written as it is (see streamAt): renamed
 * over, `-o /dev/null` left a regular file as /dev/null, and every program
 * that wrote to it afterwards filled that file instead.
 */
export async function writeAtomically(file: string, pieces: Iterable<ReportPiece>, mode?: number): Promise<void> {
  const stream = streamAt(file);
  if (stream !== undefined) return writeStream(file, stream, pieces);
  // A name no one can guess, created only if nothing is there (O_EXCL), never through a link (O_NOFOLLOW):
  // a link planted beside the file by someone who can write in its folder must not redirect root's write.
  const tmp = join(dirname(file), `.${basename(file)}.${randomBytes(8).toString('hex')}.tmp`);
  let created = false;
  try {
    const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode ?? 0o644);
    created = true;
    try {
      if (mode !== undefined) fchmodSync(fd, mode);
      await writePieces(pieces, toDescriptor(fd));
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (e) {
    try {
      if (created) unlinkSync(tmp);
    } catch {
      // already renamed, or gone
    }
    throw new InputError(`cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/**
 * What `file` names when it is not a file to replace: one of this process's
 * own descriptors by its name (`/dev/stdout`, `/dev/stderr`, `/dev/fd/N` and
 * `/proc/self/fd/N`, as a shell's `>(jq .)` passes it), written where that
 * descriptor is (its offset, its append mode); or a character device or FIFO
 * (`/dev/null`, a `mkfifo`), opened and written. Only a device or FIFO that
 * is there under that very name: a symbolic link elsewhere is replaced, as
 * any other file, so a link planted in a shared folder cannot send root's
 * write to a device.
 */
function streamAt(file: string): number | 'open' | undefined {
  if (file === '/dev/stdout') return 1;
  if (file === '/dev/stderr') return 2;
  const fd = /^\/(?:dev|proc\/self)\/fd\/(\d+)$/.exec(file);
  if (fd) return Number(fd[1]);
  try {
    const st = lstatSync(file);
    return st.isCharacterDevice() || st.isFIFO() ? 'open' : undefined;
  } catch {
    return undefined; // not there yet: a new file
  }
}

async function writeStream(file: string, stream: number | 'open', pieces: Iterable<ReportPiece>): Promise<void> {
  try {
    // stdout and stderr may be pipes node made non-blocking: written through node's streams, which wait for the reader.
    if (stream === 1 || stream === 2) return await writePieces(pieces, toStream(stream === 1 ? process.stdout : process.stderr));
    // Without blocking: a FIFO no one reads would hold a blocking open, and the run, for ever (ENXIO instead).
    const fd = stream === 'open' ? openSync(file, constants.O_WRONLY | constants.O_NONBLOCK) : stream;
    try {
      await writePieces(pieces, toDescriptor(fd));
    } finally {
      if (stream === 'open') closeSync(fd);
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`cannot write ${file}: ${code === 'ENXIO' ? 'a FIFO nothing reads from (ENXIO)' : code ?? (e as Error).message}`);
  }
}

/** Writes to stdout, each buffer handed on only once the previous one is out. */
export async function writeStdout(pieces: Iterable<ReportPiece>): Promise<void> {
  try {
    await writePieces(pieces, toStream(process.stdout));
  } catch (e) {
    // A full disk or a broken device under a redirection is the output's fault, as with -o: one line, exit 2.
    throw new InputError(`cannot write to stdout: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** Hands each buffer to a node stream, resolving once it is out. */
const toStream = (out: NodeJS.WritableStream) => (bytes: Buffer) => new Promise<void>((resolve, reject) => out.write(bytes, (e) => (e ? reject(e) : resolve())));

/** Writes each buffer whole to a descriptor (a write may take only part of it; a full pipe opened without blocking says EAGAIN until its reader reads). */
const toDescriptor = (fd: number) => (bytes: Buffer) => {
  for (let done = 0; done < bytes.length; ) done += whileAgain(() => writeSync(fd, bytes, done));
};

const BUFFER_BYTES = 1 << 20;

/**
 * Encodes the pieces of a report into one reused megabyte and hands it to
 * `flush` each time it fills. On these machines fresh memory costs more to
 * touch than encoding does: a new buffer per piece or per megabyte (or one
 * string of the whole report) took ten times as long for a 60 MB report.
 * Bytes are handed on before the next piece is asked for (a reporter may
 * reuse their buffer): copied, or flushed as they are when they are large.
 * `flush` must be done with the bytes when it returns (or resolves).
 */
async function writePieces(pieces: Iterable<ReportPiece>, flush: (bytes: Buffer) => void | Promise<void>): Promise<void> {
  const buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  let used = 0;
  for (const piece of pieces) {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8.
    const most = typeof piece === 'string' ? piece.length * 3 : piece.length;
    const whole = typeof piece === 'string' ? most > BUFFER_BYTES : most >= BUFFER_BYTES / 4; // handed on as it is, not copied
    if ((whole || used + most > BUFFER_BYTES) && used > 0) {
      await flush(buffer.subarray(0, used));
      used = 0;
    }
    if (typeof piece === 'string') {
      if (whole) await flush(Buffer.from(piece, 'utf8'));
      else used += buffer.write(piece, used, 'utf8');
    } else if (whole) await flush(Buffer.from(piece.buffer, piece.byteOffset, piece.length));
    else {
      buffer.set(piece, used);
      used += piece.length;
    }
  }
  if (used > 0) await flush(buffer.subarray(0, used));
}

export type ColorMode = 'auto' | 'always' | 'never';

/** --color, then NO_COLOR, then whether stdout is a terminal. */
export function useColor(mode: ColorMode, toFile: boolean): boolean {
  if (toFile || mode === 'never') return false;
  if (mode === 'always') return true;
  if (process.env['NO_COLOR']) return false;
  return process.stdout.isTTY === true;
}

/** Pairs each --format with the --output at the same position; formats without one go to stdout (only one may). */
export function pairFormats<F extends string>(formats: readonly F[], outputs: readonly string[]): { format: F; file?: string }[] {
  if (outputs.length > formats.length) throw new InputError(`${outputs.length} --output files for ${formats.length} --format: give a --format for each --output`);
  const pairs = formats.map((format, i) => (outputs[i] === undefined || outputs[i] === '-' ? { format } : { format, file: outputs[i]! }));
  if (pairs.filter((p) => p.file === undefined).length > 1) throw new InputError('only one --format can go to stdout: give the others an --output FILE');
  return pairs;
}
