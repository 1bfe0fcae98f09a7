import { createRequire } from 'node:module';
import type { Node, ParseError } from 'jsonc-parser';
import { HostReadError, type HostRoot } from '../../linux/host-root.js';
import type { SeccompProfileFile } from '../../model/host.js';

/** Values of seccomp-profile that name no file. */
export const BUILTIN_SECCOMP = new Set(['', 'default', 'builtin', 'unconfined']);

/**
 * The daemon-wide seccomp profile file's defaultAction, with where it is
 * written: whether a system call no rule names is refused or allowed. A file
 * that cannot be read or is not a profile is a note; no fact comes of it.
 */
export function readSeccompProfile(root: HostRoot, path: string): { profile?: SeccompProfileFile; note?: string } {
  let text: string | undefined;
  try {
    text = root.readText(path);
  } catch (e) {
    if (!(e instanceof HostReadError)) throw e;
    return { note: `cannot read the daemon's seccomp profile ${e.message}` };
  }
  if (text === undefined) return { note: `the daemon's seccomp profile ${path} does not exist (dockerd read it when it started)` };
  const { parseTree } = createRequire(import.meta.url)('jsonc-parser') as typeof import('jsonc-parser');
  const errors: ParseError[] = [];
  let tree: Node | undefined;
  try {
    tree = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
  }
  const property = errors.length === 0 && tree?.type === 'object' ? tree.children?.findLast((p) => p.children?.[0]?.value === 'defaultAction') : undefined;
  const value = property?.children?.[1];
  if (!property || value?.type !== 'string') return { note: `the daemon's seccomp profile ${path} is not a seccomp profile (no defaultAction)` };
  const before = text.slice(0, property.offset);
  const line = before.split('\n').length;
  const column = property.offset - before.lastIndexOf('\n');
  return { profile: { path, defaultAction: String(value.value), at: { path: 'defaultAction', loc: { file: path, line, column } } } };
}
