import { readFileSync, statSync } from 'node:fs';
import { relative, isAbsolute, resolve } from 'node:path';
import { InputError } from '../core/errors.js';

/** Larger inputs are refused with a clear error rather than exhausting memory. */
export const MAX_INPUT_BYTES = 512 * 1024 * 1024;

/** Reads a named file, or stdin for '-'. Returns the text and the name to show (cwd-relative when inside it). */
export async function readInput(file: string): Promise<{ text: string; name: string }> {
  if (file === '-') return { text: await readStdin(), name: '-' };
  return { text: readTextFile(file), name: displayName(file) };
}

/** A file's text, refusing folders and files larger than bulkhead reads; errors name the file. */
export function readTextFile(file: string): string {
  let size: number;
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw new InputError(`${file}: is a directory, expected a file`);
    size = st.size;
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${file}: ${describe(e)}`);
  }
  if (size > MAX_INPUT_BYTES) throw new InputError(`${file}: ${size} bytes is larger than the ${MAX_INPUT_BYTES} bytes bulkhead reads`);
  try {
    return stripBom(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError(`${file}: ${describe(e)}`);
  }
}

/** The path as findings show it: relative to the working folder when inside it. */
export function displayName(file: string): string {
  const rel = relative(process.cwd(), resolve(file));
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin) {
    total += (chunk as Buffer).length;
    if (total > MAX_INPUT_BYTES) throw new InputError(`stdin: more than the ${MAX_INPUT_BYTES} bytes bulkhead reads`);
    chunks.push(chunk as Buffer);
  }
  return stripBom(Buffer.concat(chunks).toString('utf8'));
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function describe(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  return code ?? (e as Error).message;
}
