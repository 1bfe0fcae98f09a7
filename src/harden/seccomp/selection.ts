import { InputError } from '../../core/errors.js';
import { nearest } from './nearest.js';
import { quoted } from '../../reporters/sanitize.js';
import { KNOWN_SYSCALLS, SYSCALL_GROUPS, defaultAllowed, syscallGroup } from './syscall-groups.js';

/**
 * What a profile allows, after --allow and --deny: `allowed` is the
 * allowlist, `denied` the names the user denied explicitly (they get their
 * own EPERM entry, so the profile says so rather than leaving it to the
 * default action). The two never share a name.
 */
export interface Selection {
  readonly allowed: ReadonlySet<string>;
  readonly denied: ReadonlySet<string>;
}

/** Splits repeatable, comma-separated flag values into items. */
export function items(values: readonly string[]): string[] {
  return values.flatMap((v) => v.split(',')).map((s) => s.trim().toLowerCase()).filter(Boolean);
}

/** The syscalls one item names: a syscall, or every member of an @group. Unknown → InputError with the nearest name. */
export function expand(item: string, flag: string): readonly string[] {
  if (item.startsWith('@')) {
    const group = syscallGroup(item);
    if (group) return group.syscalls;
    const guess = nearest(item, SYSCALL_GROUPS.map((g) => g.name));
    throw new InputError(`unknown syscall group ${quoted(item, { max: 80 })} in ${flag}${guess ? ` (did you mean ${guess}?)` : ''}; \`bulkhead seccomp groups\` lists them`);
  }
  if (KNOWN_SYSCALLS.includes(item)) return [item];
  const guess = nearest(item, KNOWN_SYSCALLS);
  throw new InputError(`unknown syscall ${quoted(item, { max: 80 })} in ${flag}${guess ? ` (did you mean ${guess}?)` : ''}`);
}

/** Applies --allow and --deny to a starting allowlist (the default groups unless given). */
export function select(allow: readonly string[], deny: readonly string[], start: ReadonlySet<string> = defaultAllowed()): Selection {
  const allowFrom = new Map<string, string>();
  for (const item of items(allow)) for (const s of expand(item, '--allow')) allowFrom.set(s, item);
  const denyFrom = new Map<string, string>();
  for (const item of items(deny)) for (const s of expand(item, '--deny')) denyFrom.set(s, item);
  for (const [s, item] of denyFrom) {
    const other = allowFrom.get(s);
    if (other !== undefined) throw new InputError(`${s} is both allowed (--allow ${other}) and denied (--deny ${item}); say which`);
  }
  const allowed = new Set([...start, ...allowFrom.keys()]);
  for (const s of denyFrom.keys()) allowed.delete(s);
  // Asked for by name, clone3 must really be allowed; answering ENOSYS would ignore the flag.
  if (allowFrom.get('clone3') === 'clone3' && !allowed.has('unshare')) {
    throw new InputError('clone3 cannot be allowed while unshare is denied: a seccomp filter cannot read clone3\'s flags, so it could create namespaces; '
      + 'allow unshare (or @namespaces) too, or leave clone3 to fail with ENOSYS so the C library falls back to clone');
  }
  return { allowed, denied: new Set(denyFrom.keys()) };
}
