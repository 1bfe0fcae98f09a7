import { readFileSync, statSync } from 'node:fs';
import { relative, isAbsolute, resolve } from 'node:path';
import { InputError } from '../core/errors.js';

/** Larger inputs are refused with a clear error rather than exhausting memory. */
export const MAX_INPUT_BYTES = 512 * 1024 * 1024;

/** A file's text, refusing folders and files larger than bulkhead reads; errors name the file. */
export function readTextFile(file: string): string {
  return readFileBytes(file).toString('utf8');
}

/** A file's bytes, without a UTF-8 byte order mark; refuses folders and files larger than bulkhead reads. */
export function readFileBytes(file: string): Buffer {
  let size: number;
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw new InputError(`${file}: is a directory, expected a file`);
    size = st.size;
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${file}: ${describeFsError(e)}`);
  }
  if (size > MAX_INPUT_BYTES) throw new InputError(`${file}: ${size} bytes is larger than the ${MAX_INPUT_BYTES} bytes bulkhead reads`);
  try {
    return stripBom(readFileSync(file));
  } catch (e) {
    throw new InputError(`${file}: ${describeFsError(e)}`);
  }
}

/** The path as findings show it: relative to the working folder when inside it. */
export function displayName(file: string): string {
  const rel = relative(process.cwd(), resolve(file));
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

export async function readStdin(): Promise<string> {
  return (await readStdinBytes()).toString('utf8');
}

export async function readStdinBytes(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin) {
    total += (chunk as Buffer).length;
    if (total > MAX_INPUT_BYTES) throw new InputError(`stdin: more than the ${MAX_INPUT_BYTES} bytes bulkhead reads`);
    chunks.push(chunk as Buffer);
  }
  return stripBom(Buffer.concat(chunks));
}

function stripBom(bytes: Buffer): Buffer {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
}

/** An fs error as a few words for a one-line message. */
export function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory, expected a file';
  return code ?? (e as Error).message;
}
