import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import picomatch from 'picomatch';
import { InputError } from '../core/errors.js';
import { syntaxByName } from './detect.js';
import { describeFsError } from './read-input.js';

/** Folders that never hold the project's own configuration. */
const SKIPPED_DIRS = new Set(['.git', 'node_modules']);

/**
 * The files under the given paths that might hold container configuration
 * (by name), sorted, each once. Folders are walked recursively; `.git`,
 * `node_modules` and paths matching an --exclude glob (matched against the
 * path relative to the working folder, and against the bare name) are skipped.
 * A path given by name is read whatever its name. A folder that cannot be
 * read is told to `unreadable` (find(1) says so too, and fails) and skipped.
 */
export function findFiles(paths: readonly string[], excludes: readonly string[], cwd = process.cwd(), unreadable: (problem: string) => void = () => undefined): string[] {
  const excluded = excludes.length ? picomatch([...excludes], { dot: true }) : undefined;
  // Without --exclude there is nothing to match: no relative path to make for each of thousands of entries.
  const isExcluded = excluded
    ? (p: string) => {
        const rel = relative(cwd, p).split(sep).join('/');
        return excluded(rel) || excluded(rel.split('/').pop()!);
      }
    : () => false;
  const out = new Set<string>();
  for (const path of paths) {
    let st;
    try {
      st = statSync(path);
    } catch (e) {
      throw new InputError(`${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (e as Error).message}`);
    }
    if (st.isDirectory()) walk(path, out, isExcluded, unreadable);
    else if (!isExcluded(path)) out.add(path);
  }
  return [...out].sort();
}

function walk(dir: string, out: Set<string>, isExcluded: (p: string) => boolean, unreadable: (problem: string) => void): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    unreadable(`${dir}: cannot read the folder: ${describeFsError(e)}; nothing under it was scanned`);
    return;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (isExcluded(p)) continue;
    if (e.isDirectory()) {
      if (!SKIPPED_DIRS.has(e.name)) walk(p, out, isExcluded, unreadable);
    } else if (e.isFile() && syntaxByName(p) !== undefined) out.add(p); // not a FIFO, socket or device of that name
  }
}
