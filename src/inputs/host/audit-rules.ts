import { posix } from 'node:path';
import type { At } from '../../model/value.js';
import { numberedLines, type Parsed } from './lines.js';
import { quoted } from './quote.js';

/**
 * A file watch as one rule line writes it. `-w PATH` watches the object at
 * PATH: auditctl turns it into `-F path=PATH` for a file and `-F dir=PATH`
 * for a directory, and a dir rule is the kernel's recursive tree watch over
 * everything below it (auditctl(8), field `dir`). A path can only have
 * things below it when it is a directory, so a `-w` is taken as recursive.
 */
export interface WatchRule {
  /** As written, trailing slashes dropped. */
  readonly path: string;
  readonly recursive: boolean;
  /** A subset of `rwxa`, in that order. */
  readonly permissions: string;
  readonly key?: string;
  readonly at: At;
}

/** What one rule line does to the file watches in force. Lines that do not touch them (syscall rules, -b, -e…) give none. */
export type AuditOp =
  | { readonly kind: 'watch'; readonly watch: WatchRule }
  /** `-W`, or `-d` of a syscall rule that is a watch: removes the identical watch. */
  | { readonly kind: 'unwatch'; readonly watch: WatchRule }
  /** `-D`, or `-D -k KEY` for the rules with that key. */
  | { readonly kind: 'delete'; readonly key?: string }
  /** `-a never,task` (on) turns off auditing of every new process; `-d never,task` (off) removes that rule. */
  | { readonly kind: 'never-task'; readonly on: boolean; readonly at: At };

const LISTS = new Set(['task', 'exit', 'user', 'exclude', 'filesystem', 'io_uring']);
const ACTIONS = new Set(['never', 'always']);
/**
 * Fields a syscall rule may have and still record every access of its kind:
 * anything else (auid, uid, success…) narrows it to some processes or
 * outcomes. `arch=` does limit a rule to one ABI's syscalls, but rules are
 * written in b64/b32 pairs (auditctl wants an arch with -S) and a 64-bit
 * host runs 32-bit programs seldom: an arch-limited rule is counted, a
 * deliberate simplification.
 */
const WATCH_FIELDS = new Set(['arch', 'path', 'dir', 'perm', 'key']);
const FIELD = /^([a-z_0-9]+)(!=|<=|>=|&=|=|<|>|&)(.*)$/;

/** `-p` letters in canonical order; undefined when anything else is there (auditctl rejects it). */
function permissionsOf(text: string): string | undefined {
  if (!/^[rwxa]+$/.test(text)) return undefined;
  return ['r', 'w', 'x', 'a'].filter((c) => text.includes(c)).join('');
}

function cleanPath(path: string): string {
  return posix.normalize(path).replace(/(.)\/+$/, '$1');
}

/** `-w PATH [-p PERMS] [-k KEY]…` and `-W` with the same words. */
function watchOf(tokens: readonly string[], at: At): WatchRule | string {
  const path = tokens[1];
  if (path === undefined || !path.startsWith('/')) return 'a watch needs an absolute path';
  if (cleanPath(path) === '/') return 'the kernel does not allow a watch on /';
  let permissions = 'rwxa';
  const keys: string[] = [];
  for (let i = 2; i < tokens.length; i += 2) {
    const value = tokens[i + 1];
    if (value === undefined) return `${tokens[i]} without a value`;
    if (tokens[i] === '-p') {
      const p = permissionsOf(value);
      if (p === undefined) return `-p takes r, w, x and a, not ${quoted(value)}`;
      permissions = p;
    } else if (tokens[i] === '-k') keys.push(value);
    else return `a watch takes only -p and -k, not ${quoted(tokens[i]!)}`;
  }
  return { path: cleanPath(path), recursive: true, permissions, ...(keys.length ? { key: keys.join(',') } : {}), at };
}

/**
 * `-a LIST,ACTION [-S SYSCALL]… [-F FIELD=VALUE]… [-k KEY]` (also -A, -d).
 * It is a watch when it records every access of its kind to one path:
 * list exit, action always, one `path=` or `dir=`, no syscall list but
 * `all`, and no field that narrows it to some users or outcomes. Without
 * `perm=` it records every syscall on the path, so all four kinds.
 */
function syscallRuleOf(tokens: readonly string[], at: At): AuditOp | WatchRule | string | undefined {
  const [a, b, ...rest] = (tokens[1] ?? '').split(',');
  const parts = new Set([a, b]);
  const list = [...parts].find((p) => p !== undefined && LISTS.has(p));
  const action = [...parts].find((p) => p !== undefined && ACTIONS.has(p));
  if (rest.length > 0 || list === undefined || action === undefined) return `${tokens[0]} takes LIST,ACTION, not ${quoted(tokens[1] ?? '')}`;
  if (list === 'task' && action === 'never') return { kind: 'never-task', on: tokens[0] !== '-d', at: { ...at, path: 'audit.never-task' } };

  let narrowed = list !== 'exit' || action !== 'always';
  let where: { path: string; recursive: boolean } | undefined;
  let permissions = 'rwxa';
  const keys: string[] = [];
  for (let i = 2; i < tokens.length; i += 2) {
    const option = tokens[i]!;
    const value = tokens[i + 1];
    if (value === undefined) return `${option} without a value`;
    if (option === '-k') keys.push(value);
    else if (option === '-S') narrowed ||= value.split(',').some((s) => s !== 'all');
    else if (option === '-C') narrowed = true;
    else if (option === '-F') {
      const m = FIELD.exec(value);
      if (!m) return `-F takes FIELD=VALUE, not ${quoted(value)}`;
      const [, name, op, v] = m as unknown as [string, string, string, string];
      if (!WATCH_FIELDS.has(name) || op !== '=') narrowed = true;
      else if (name === 'key') keys.push(v);
      else if (name === 'perm') {
        const p = permissionsOf(v);
        if (p === undefined) return `perm takes r, w, x and a, not ${quoted(v)}`;
        permissions = p;
      } else if (name === 'path' || name === 'dir') {
        if (where || !v.startsWith('/')) narrowed = true;
        else where = { path: cleanPath(v), recursive: name === 'dir' };
      }
    } else return `unknown option ${quoted(option)} in a syscall rule`;
  }
  if (narrowed || !where) return undefined;
  return { ...where, permissions, ...(keys.length ? { key: keys.join(',') } : {}), at };
}

/** What one rule (as words) does to the watches; a string says why auditctl would reject it. */
function opOf(tokens: readonly string[], at: At): AuditOp | string | undefined {
  switch (tokens[0]) {
    case '-w':
    case '-W': {
      const w = watchOf(tokens, at);
      return typeof w === 'string' ? w : { kind: tokens[0] === '-w' ? 'watch' : 'unwatch', watch: w };
    }
    case '-a':
    case '-A':
    case '-d': {
      const r = syscallRuleOf(tokens, at);
      if (r === undefined || typeof r === 'string' || 'kind' in r) return r;
      return { kind: tokens[0] === '-d' ? 'unwatch' : 'watch', watch: r };
    }
    case '-D':
      if (tokens[1] === '-k' && tokens[2] !== undefined) return { kind: 'delete', key: tokens[2] };
      return { kind: 'delete' };
    default:
      return undefined; // -b, -e, -f, -r, --backlog_wait_time…: settings, not rules
  }
}

/**
 * Parses an audit rules file (/etc/audit/rules.d/*.rules, audit.rules) as
 * auditctl -R reads it: one rule a line, words split on blanks (there is no
 * quoting), lines starting with # are comments.
 *
 * auditctl -R stops at the first line the kernel rejects, so rules after a
 * bad one are not loaded. That is not modelled: only auditctl and the
 * kernel know every line they reject (syscall names, a missing folder); the
 * lines found malformed here are noted, and with root / the loaded rules
 * (auditctl -l) are read as well.
 */
export function parseAuditRules(text: string, file: string): Parsed<AuditOp> {
  const items: AuditOp[] = [];
  const problems: string[] = [];
  for (const { text: line, line: n } of numberedLines(text)) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const at: At = { path: '', loc: { file, line: n, column: line.indexOf(trimmed) + 1, endLine: n, endColumn: line.length + 1 } };
    const op = opOf(trimmed.split(/\s+/), at);
    if (typeof op === 'string') problems.push(`${file}:${n}: ${op}: ${quoted(trimmed)}`);
    else if (op) items.push(withPath(op));
  }
  return { items, problems };
}

/**
 * Parses `auditctl -l`: the loaded rules, one a line, as auditctl prints
 * them (`-a always,exit -F path=P -F perm=wa` comes back as `-w P -p wa`).
 * A watch's path is printed as is, spaces and all, so `-w` lines are read
 * up to their ` -p PERMS`.
 */
export function parseAuditctlList(text: string): Parsed<AuditOp> {
  const items: AuditOp[] = [];
  const problems: string[] = [];
  for (const { text: line } of numberedLines(text)) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed === 'No rules') continue;
    const at: At = { path: '' };
    const w = /^-w (\/.*?) -p ([rwxa]+)(?: -k (.*))?$/.exec(trimmed);
    const op = w ? opOf(['-w', w[1]!, '-p', w[2]!, ...(w[3] !== undefined ? ['-k', w[3]] : [])], at) : opOf(trimmed.split(/\s+/), at);
    if (typeof op === 'string') problems.push(`auditctl -l: ${op}: ${quoted(trimmed)}`);
    else if (op) items.push(withPath(op));
  }
  return { items, problems };
}

/** Gives a watch its logical path, the one findings about it name. */
function withPath(op: AuditOp): AuditOp {
  if (op.kind !== 'watch' && op.kind !== 'unwatch') return op;
  return { ...op, watch: { ...op.watch, at: { ...op.watch.at, path: `audit.watch[${JSON.stringify(op.watch.path)}]` } } };
}

/** The rules a set of lines leaves in force: watches, and where auditing of all processes is turned off. */
export interface InForce {
  readonly watches: WatchRule[];
  readonly disabledBy?: At;
}

/**
 * Applies rule lines in order. `hoistDeletes`: augenrules moves the first
 * `-D` of /etc/audit/rules.d to the top of what it loads (and drops the
 * others), so there a `-D` never removes a rule written before it; in a
 * file auditctl -R loads as it is (audit.rules), it does.
 */
export function inForce(ops: readonly AuditOp[], hoistDeletes: boolean): InForce {
  let watches: WatchRule[] = [];
  let disabledBy: At | undefined;
  for (const op of ops) {
    switch (op.kind) {
      case 'watch':
        watches.push(op.watch);
        break;
      case 'unwatch':
        // The kernel deletes only the identical rule: same path, permissions and key.
        watches = watches.filter((w) => !(w.path === op.watch.path && w.permissions === op.watch.permissions && w.key === op.watch.key));
        break;
      case 'delete':
        if (hoistDeletes) break;
        if (op.key === undefined) {
          watches = [];
          disabledBy = undefined;
        } else watches = watches.filter((w) => w.key !== op.key);
        break;
      case 'never-task':
        disabledBy = op.on ? (disabledBy ?? op.at) : undefined;
        break;
    }
  }
  return disabledBy ? { watches, disabledBy } : { watches };
}
