import { renameSync, writeFileSync, unlinkSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { InputError } from '../core/errors.js';

/**
 * Writes a file whole or not at all: a temp file beside it, then rename, so
 * an interrupted run never leaves a half-written report.
 */
export function writeAtomically(file: string, text: string): void {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, text, { mode: 0o644 });
    renameSync(tmp, file);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing was written
    }
    throw new InputError(`cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
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
