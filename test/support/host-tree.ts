import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { TestContext } from 'node:test';

/** One entry of a host tree: a file's text, or a file or folder with its owner and mode, or a symlink. */
export type HostEntry =
  | string
  | { readonly text?: string; readonly dir?: true; readonly mode?: number; readonly uid?: number; readonly gid?: number }
  | { readonly symlink: string };

/**
 * Builds a host's root in a temp folder, for `audit --root DIR`: real files
 * with real owners and modes (chown needs root, as the tests run in CI), and
 * symlinks as written (absolute ones point into the host, not at ours).
 * Removed when the test ends.
 */
export function hostTree(t: TestContext, entries: Readonly<Record<string, HostEntry>>): string {
  const root = mkdtempSync(join(tmpdir(), 'bulkhead-host.'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  for (const [path, entry] of Object.entries(entries)) {
    const local = join(root, path);
    mkdirSync(dirname(local), { recursive: true });
    if (typeof entry === 'string') {
      writeFileSync(local, entry);
      continue;
    }
    if ('symlink' in entry) {
      symlinkSync(entry.symlink, local);
      continue;
    }
    if (entry.dir) mkdirSync(local, { recursive: true });
    else writeFileSync(local, entry.text ?? '');
    if (entry.mode !== undefined) chmodSync(local, entry.mode);
    if (entry.uid !== undefined || entry.gid !== undefined) chownSync(local, entry.uid ?? 0, entry.gid ?? 0);
  }
  return root;
}
