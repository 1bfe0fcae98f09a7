import { randomBytes } from 'node:crypto';
import { closeSync, constants, fchmodSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { InputError } from '../core/errors.js';

/**
 * Writes a file whole or not at all: a temp file beside it, then rename, so
 * an interrupted run never leaves a half-written report. A `mode` given is
 * set exactly (the umask does not narrow it) before the file takes its name.
 */
export async function writeAtomically(file: string, pieces: Iterable<string>, mode?: number): Promise<void> {
  // A name no one can guess, created only if nothing is there (O_EXCL), never through a link (O_NOFOLLOW):
  // a link planted beside the file by someone who can write in its folder must not redirect root's write.
  const tmp = join(dirname(file), `.${basename(file)}.${randomBytes(8).toString('hex')}.tmp`);
  let created = false;
  try {
    const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode ?? 0o644);
    created = true;
    try {
      if (mode !== undefined) fchmodSync(fd, mode);
      await writePieces(pieces, (bytes) => {
        for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done);
      });
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

/** Writes to stdout, each buffer handed on only once the previous one is out. */
export async function writeStdout(pieces: Iterable<string>): Promise<void> {
  await writePieces(pieces, (bytes) => new Promise<void>((resolve, reject) => process.stdout.write(bytes, (e) => (e ? reject(e) : resolve()))));
}

const BUFFER_BYTES = 1 << 20;

/**
 * Encodes the pieces of a report into one reused megabyte and hands it to
 * `flush` each time it fills. On these machines fresh memory costs more to
 * touch than encoding does: a new buffer per piece or per megabyte (or one
 * string of the whole report) took ten times as long for a 60 MB report.
 * `flush` must be done with the bytes when it returns (or resolves).
 */
async function writePieces(pieces: Iterable<string>, flush: (bytes: Buffer) => void | Promise<void>): Promise<void> {
  const buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  let used = 0;
  for (const piece of pieces) {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8.
    const most = piece.length * 3;
    if (used + most > BUFFER_BYTES && used > 0) {
      await flush(buffer.subarray(0, used));
      used = 0;
    }
    if (most > BUFFER_BYTES) await flush(Buffer.from(piece, 'utf8'));
    else used += buffer.write(piece, used, 'utf8');
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
