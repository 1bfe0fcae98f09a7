import { closeSync, openSync, readFileSync, readSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { EXIT, InputError } from '../core/errors.js';
import { fixText, type FileFix } from '../harden/fix/fix-file.js';
import type { FixOptions } from '../harden/fix/fix-options.js';
import { firstInvalidUtf8, utf8Position } from '../harden/fix/utf8.js';
import { describeFsError, displayName, hasBom, readTextFile } from '../inputs/read-input.js';
import { fileIO } from '../inputs/scan-file.js';
import { findFiles } from '../inputs/walk.js';
import { plain } from '../reporters/sanitize.js';
import { writeAtomically, writeStdout } from './output.js';

export interface FixCliOptions {
  readonly write: boolean;
  readonly aggressive: boolean;
  readonly pidsLimit: number;
  readonly memory: number;
  readonly exclude?: string[];
  readonly quiet: boolean;
}

/**
 * `bulkhead fix`: every file is fixed in memory first, so a malformed file
 * (exit 2) stops the run before anything is written. A file that is not
 * UTF-8 and needs a fix is left out with one line naming it (its text was
 * read with U+FFFD for the bytes that are not, so the fix could not keep
 * them), the others are fixed, and the exit code is 2. Otherwise exit 1 when
 * there is a diff to apply (like `git diff --exit-code`), 0 when there is
 * none or --write applied it.
 */
export async function fix(paths: readonly string[], opts: FixCliOptions): Promise<number> {
  const options: FixOptions = { aggressive: opts.aggressive, pidsLimit: opts.pidsLimit, memoryMiB: opts.memory };
  const io = fileIO(process.env);
  const fixes: { path: string; fix: FileFix; notUtf8?: string }[] = [];
  for (const path of findFiles(paths, opts.exclude ?? [])) {
    const text = readTextFile(path);
    const name = displayName(path);
    // U+FFFD is where the reader met bytes that are not UTF-8 (or the file holds that character: the bytes tell).
    fixes.push({ path, fix: fixText(text, name, io, options), notUtf8: text.includes('\ufffd') ? notUtf8(path, name) : undefined });
  }
  const refused = fixes.filter((f) => f.notUtf8 !== undefined && f.fix.after !== f.fix.before);
  const fixable = fixes.filter((f) => !refused.includes(f));
  const notes = fixable.flatMap(({ fix }) => noteLines(fix));
  if (!opts.quiet) for (const n of notes) process.stderr.write(`${plain(n)}\n`);
  for (const { notUtf8 } of refused) process.stderr.write(`bulkhead: ${plain(notUtf8!)}\n`);
  const changed = fixable.filter(({ fix }) => fix.after !== fix.before);
  const done = refused.length ? EXIT.usage : undefined;
  if (opts.write) {
    for (const { path, fix } of changed) {
      await writeKeepingMode(path, fix.after);
      if (!opts.quiet) process.stderr.write(`bulkhead: fixed ${plain(fix.name)}\n`);
    }
    return done ?? EXIT.clean;
  }
  // The files' text is untrusted: on a terminal it is shown without control characters; piped, the patch is exact, so it applies.
  const shown = (patch: string) => (process.stdout.isTTY ? plain(patch, true) : patch);
  // A name with a newline could write lines of its own into the patch (a hunk for another file): such files are left out.
  const unsafe = changed.filter(({ path }) => UNSAFE_IN_PATCH.test(patchPath(path)));
  for (const { fix } of unsafe) process.stderr.write(`bulkhead: ${plain(fix.name)}: not in the patch: its path holds control characters, quotes or backslashes, which a patch cannot carry safely (--write fixes it in place)\n`);
  await writeStdout(changed.filter((c) => !unsafe.includes(c)).map(({ path, fix }) => shown(patchOf(path, fix))));
  return done ?? (changed.length ? EXIT.findings : EXIT.clean);
}

/** Why a file whose text holds U+FFFD cannot be fixed, `name:line:column: …` at its first byte that is not UTF-8; undefined when it is UTF-8 after all. */
function notUtf8(path: string, name: string): string | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new InputError(`${name}: ${describeFsError(e)}`);
  }
  const at = firstInvalidUtf8(bytes);
  if (at === -1) return undefined;
  const bom = hasBom(bytes) ? 3 : 0;
  const { line, column } = utf8Position(bytes, at, bom);
  const byte = bytes[at]!.toString(16).padStart(2, '0');
  return `${name}:${line}:${column}: not fixed: byte 0x${byte} is not UTF-8, and a fix written as UTF-8 would change it; convert the file (e.g. iconv -f latin1 -t utf-8), then fix it`;
}

const UNSAFE_IN_PATCH = /[\x00-\x1f\x7f-\x9f"\\]/;

/** The path a patch names: relative to the working folder, or absolute without its leading slash when outside it (so `patch -p1` run from / finds it). */
function patchPath(path: string): string {
  const abs = resolve(path);
  const inside = relative(process.cwd(), abs);
  return (inside.startsWith('..') || isAbsolute(inside) ? abs.slice(1) : inside).split(sep).join('/');
}

/** A git-style patch: a/ and b/ paths relative to the working folder, so `git apply` and `patch -p1` take it. */
function patchOf(path: string, fix: FileFix): string {
  const rel = patchPath(path);
  const patch = createTwoFilesPatch(`a/${rel}`, `b/${rel}`, fix.before, fix.after, undefined, undefined, { context: 3 });
  // jsdiff starts with an Index-style separator line git does not write; drop it, and end with a newline.
  const body = patch.replace(/^=+\n/, '');
  return `diff --git a/${rel} b/${rel}\n${body.endsWith('\n') ? body : body + '\n'}`;
}

/** `file:line: note`, once each, in line order. */
function noteLines(fix: FileFix): string[] {
  const lines = fix.notes
    .map((n) => ({ line: n.finding.location.loc?.line ?? 0, text: `${fix.name}:${n.finding.location.loc?.line ?? 1}: ${n.text}` }))
    .sort((a, b) => a.line - b.line);
  return [...new Set(lines.map((l) => l.text))];
}

/** The whole file or nothing (writeAtomically), with the original's mode and byte order mark. */
async function writeKeepingMode(path: string, text: string): Promise<void> {
  // A link stays a link: the file it points to is the one rewritten.
  const file = realpathSync(path);
  const mode = statSync(file).mode & 0o7777;
  // The reader drops a byte order mark; a file that had one keeps it.
  const bom = startsWithBom(file) ? '\ufeff' : '';
  await writeAtomically(file, [bom + text], mode);
}

function startsWithBom(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(3);
    return readSync(fd, head, 0, 3, 0) === 3 && hasBom(head);
  } finally {
    closeSync(fd);
  }
}
