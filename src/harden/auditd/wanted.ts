import { posix } from 'node:path';
import { CIS_AUDIT_ITEMS, cisPathsOn, type Where } from '../../inputs/host/cis-paths.js';
import { HostReadError, type HostRoot } from '../../linux/host-root.js';

/** The key every generated rule carries, as CIS and docker-bench write it. */
export const AUDIT_KEY = 'docker';

/** A path bulkhead wants watched: where the rule goes, and why. */
export interface WantedWatch {
  readonly item: string;
  readonly what: string;
  /** The path the rule names: the object's real path, or for one not there yet, its name in its folder's real path. */
  readonly path: string;
  /** False for a path the benchmark names that does not exist (yet): watched so that creating it is recorded. */
  readonly exists: boolean;
}

/** A benchmark path no rule can be written for, and why. */
export interface SkippedPath {
  readonly item: string;
  readonly what: string;
  readonly path: string;
  readonly why: string;
}

/** Where the benchmark itself puts an object, for the items with none found on the host. */
function benchmarkPath(where: Where, dockerRoot: string): string {
  if ('program' in where) return posix.join('/usr/bin', where.program);
  if ('unit' in where) return posix.join('/usr/lib/systemd/system', where.unit);
  if ('path' in where) return where.path;
  return dockerRoot;
}

/**
 * The watches for CIS 1.1.3–1.1.18: every object found on the host (the same
 * search BH049 makes, so what this generates is what the audit asks for),
 * and for an item with none, the benchmark's path when its folder exists.
 * The kernel refuses a watch whose folder is missing (and in `auditctl -R`
 * that one line aborts the rest), so those are skipped. auditctl rule files
 * have no quoting: a path with a blank (or a control character, which would
 * also reach the terminal) cannot be written, and is skipped too.
 */
export function wantedWatches(root: HostRoot, dockerRoot: string, note: (message: string) => void): { wanted: WantedWatch[]; skipped: SkippedPath[] } {
  const wanted: WantedWatch[] = [];
  const skipped: SkippedPath[] = [];
  const seen = new Set<string>();
  const found = cisPathsOn(root, dockerRoot, note);
  for (const { item, what, where } of CIS_AUDIT_ITEMS) {
    const here = found.filter((p) => p.item === item);
    const candidates = here.length > 0 ? here.map((p) => ({ path: p.realPath, exists: true })) : absent(root, benchmarkPath(where, dockerRoot), item, what, skipped);
    for (const c of candidates) {
      if (seen.has(c.path)) continue;
      seen.add(c.path);
      // eslint-disable-next-line no-control-regex
      if (/[\s\x00-\x1f\x7f]/.test(c.path)) skipped.push({ item, what, path: c.path, why: 'it has a blank or control character in its name, which an audit rules file cannot hold' });
      else wanted.push({ item, what, ...c });
    }
  }
  return { wanted, skipped };
}

/** The watch for a path that does not exist, when its folder does; else it is skipped with the reason. */
function absent(root: HostRoot, path: string, item: string, what: string, skipped: SkippedPath[]): { path: string; exists: false }[] {
  const parent = posix.dirname(path);
  let real: string | undefined;
  let isDir = false;
  try {
    real = root.realPath(parent);
    isDir = real !== undefined && root.stat(parent)?.isDirectory() === true;
  } catch (e) {
    if (!(e instanceof HostReadError)) throw e;
    skipped.push({ item, what, path, why: `its folder could not be read (${e.message})` });
    return [];
  }
  if (real === undefined) skipped.push({ item, what, path, why: `its folder ${parent} does not exist, and the kernel refuses a watch there` });
  else if (!isDir) skipped.push({ item, what, path, why: `${parent} is not a folder` });
  else return [{ path: posix.join(real, posix.basename(path)), exists: false }];
  return [];
}

/** The rule line for a watch. */
export function ruleLine(path: string): string {
  return `-w ${path} -p rwxa -k ${AUDIT_KEY}`;
}
