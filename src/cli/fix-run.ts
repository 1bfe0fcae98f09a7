import { closeSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { EXIT } from '../core/errors.js';
import { fixText, type FileFix } from '../harden/fix/fix-file.js';
import type { FixOptions } from '../harden/fix/fix-options.js';
import { displayName, readTextFile } from '../inputs/read-input.js';
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
 * (exit 2) stops the run before anything is written. Exit 1 when there is
 * a diff to apply (like `git diff --exit-code`), 0 when there is none or
 * --write applied it.
 */
export async function fix(paths: readonly string[], opts: FixCliOptions): Promise<number> {
  const options: FixOptions = { aggressive: opts.aggressive, pidsLimit: opts.pidsLimit, memoryMiB: opts.memory };
  const io = fileIO(process.env);
  const fixes: { path: string; fix: FileFix }[] = [];
  for (const path of findFiles(paths, opts.exclude ?? [])) {
    fixes.push({ path, fix: fixText(readTextFile(path), displayName(path), io, options) });
  }
  const notes = fixes.flatMap(({ fix }) => noteLines(fix));
  if (!opts.quiet) for (const n of notes) process.stderr.write(`${plain(n)}\n`);
  const changed = fixes.filter(({ fix }) => fix.after !== fix.before);
  if (opts.write) {
    for (const { path, fix } of changed) {
      await writeKeepingMode(path, fix.after);
      if (!opts.quiet) process.stderr.write(`bulkhead: fixed ${plain(fix.name)}\n`);
    }
    return EXIT.clean;
  }
  // The files' text is untrusted: on a terminal it is shown without control characters; piped, the patch is exact, so it applies.
  const shown = (patch: string) => (process.stdout.isTTY ? plain(patch, true) : patch);
  // A name with a newline could write lines of its own into the patch (a hunk for another file): such files are left out.
  const unsafe = changed.filter(({ path }) => UNSAFE_IN_PATCH.test(patchPath(path)));
  for (const { fix } of unsafe) process.stderr.write(`bulkhead: ${plain(fix.name)}: not in the patch: its path holds control characters, quotes or backslashes, which a patch cannot carry safely (--write fixes it in place)\n`);
  await writeStdout(changed.filter((c) => !unsafe.includes(c)).map(({ path, fix }) => shown(patchOf(path, fix))));
  return changed.length ? EXIT.findings : EXIT.clean;
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
    return readSync(fd, head, 0, 3, 0) === 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
  } finally {
    closeSync(fd);
  }
}
