import { open, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { IncompleteError, InputError } from '../../core/errors.js';
import { idNames } from '../../linux/id-names.js';
import { HostReadError, type HostRoot } from '../../linux/host-root.js';
import { jsonText, plain } from '../../reporters/sanitize.js';
import { eachLine } from '../../inputs/each-line.js';
import { EventReader, type AuditEvent } from './log.js';

export const DEFAULT_LOG = '/var/log/audit/audit.log';

/** auditd rotates audit.log to audit.log.1 (newest) … audit.log.N: oldest first, so events come in time order. */
export function defaultLogs(root: HostRoot): string[] {
  const logs: string[] = [];
  for (let n = 1; n < 100; n++) {
    const local = resolveLog(root, `${DEFAULT_LOG}.${n}`);
    if (local === undefined) break;
    logs.unshift(local);
  }
  const current = resolveLog(root, DEFAULT_LOG);
  if (current !== undefined) logs.push(current);
  if (logs.length === 0) throw new IncompleteError(`no audit log at ${DEFAULT_LOG}${root.root === '/' ? '' : ` under ${root.root}`} (auditd writes it; without auditd the kernel's records go to the kernel log): pass --log FILE`);
  return logs;
}

/** A log's path under the root; one that cannot be looked up (unreadable folder, symlink loop) is incomplete. */
function resolveLog(root: HostRoot, hostPath: string): string | undefined {
  try {
    return root.resolve(hostPath);
  } catch (e) {
    if (!(e instanceof HostReadError)) throw e;
    // The message names the path already.
    throw new IncompleteError(`cannot read ${e.message}`);
  }
}

export interface ReportOptions {
  readonly logs: readonly string[];
  readonly key: string;
  /** ms since the epoch; events before it are left out. */
  readonly since?: number;
  readonly format: 'text' | 'json';
  /** Login names by uid, from the host's /etc/passwd. */
  readonly names: ReadonlyMap<number, string>;
}

/** Counts of events by one property, for the summary. */
type Tally = Map<string, number>;

const bump = (t: Tally, k: string) => t.set(k, (t.get(k) ?? 0) + 1);

/** The host's user names by uid (its /etc/passwd); an unreadable one leaves ids as numbers. */
export function userNames(root: HostRoot): ReadonlyMap<number, string> {
  try {
    return idNames(root.readText('/etc/passwd'));
  } catch (e) {
    if (!(e instanceof HostReadError)) throw e;
    return new Map();
  }
}

/**
 * Reads the logs line by line (eachLine: memory stays bounded however large
 * they are, or their lines), keeps the events with the key since the time asked, and
 * writes each as it is found, then the counts by user, executable and
 * path. `write` is awaited so a slow reader of stdout holds the reading back.
 * Every log is opened before anything is written, so one that cannot be
 * (missing, a directory) leaves no half report. JSON is written only once
 * every log is read: a read error later on must not leave half a document on
 * stdout, so its events are kept until then (what they take is what the
 * document takes).
 */
export async function report(opts: ReportOptions, write: (text: string) => Promise<void>): Promise<{ events: number; malformed: number; firstMalformed?: { file: string; line: number } }> {
  const user = (id: number | undefined) => (id === undefined ? 'unset' : (opts.names.get(id) ?? String(id)));
  const byUser: Tally = new Map();
  const byExe: Tally = new Map();
  const byPath: Tally = new Map();
  let events = 0;
  const pending: AuditEvent[] = [];
  const reader = new EventReader((e) => {
    if (!e.keys.includes(opts.key) || (opts.since !== undefined && e.time < opts.since)) return;
    pending.push(e);
  });
  const json = opts.format === 'json';
  const jsonEvents: string[] = [];
  const flush = async () => {
    for (const e of pending.splice(0)) {
      const who = `${user(e.auid)}${e.uid === e.auid ? '' : ` as ${user(e.uid)}`}`;
      bump(byUser, who);
      bump(byExe, e.exe ?? '(none)');
      for (const p of e.paths.length ? e.paths : ['(none)']) bump(byPath, p);
      if (json) jsonEvents.push(`${events ? ',' : ''}\n    ${jsonText(jsonEvent(e, user))}`);
      else await write(textEvent(e, user) + '\n');
      events++;
    }
  };

  const logs = await openLogs(opts.logs);
  try {
    if (!json) await write(`${HEADER}\n`);
    for (const { file, handle } of logs) {
      // Only the log's own errors are told as reading it (a failed write to stdout is not).
      const readError = (e: unknown) => new IncompleteError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      // A line longer than any record (a run of NULs a crash left, a binary file) is not one: counted, its tail never held.
      await eachLine(handle.createReadStream({ autoClose: false }), file, (line, n, whole) => {
        if (whole) reader.line(line, file, n);
        else reader.skip(file, n);
        return pending.length > 0 ? flush() : undefined;
      }, readError);
    }
  } finally {
    await Promise.all(logs.map(({ handle }) => handle.close().catch(() => undefined)));
  }
  reader.end();
  await flush();

  const summary = { byUser: sorted(byUser), byExecutable: sorted(byExe), byPath: sorted(byPath) };
  if (json) {
    await write(`{\n  "logs": ${jsonText(opts.logs)},\n  "key": ${jsonText(opts.key)},\n  "since": ${opts.since === undefined ? 'null' : jsonText(new Date(opts.since).toISOString())},\n  "events": [`);
    for (const text of jsonEvents.splice(0)) await write(text);
    const named = Object.fromEntries(Object.entries(summary).map(([k, t]) => [k, t.map(([name, count]) => ({ name, count }))]));
    await write(`${events ? '\n  ' : ''}],\n  "summary": ${jsonText(named, 2).replace(/\n/g, '\n  ')},\n  "malformedLines": ${reader.malformed}\n}\n`);
  } else {
    const since = opts.since === undefined ? '' : ` since ${new Date(opts.since).toISOString()}`;
    const lines = [`${events} ${events === 1 ? 'event' : 'events'} with key "${plain(opts.key)}"${since} in ${opts.logs.map((l) => plain(l)).join(', ')}`];
    if (events) {
      for (const [title, tally] of [['by user (login user, "as" the user it ran as)', summary.byUser], ['by executable', summary.byExecutable], ['by path', summary.byPath]] as const) {
        lines.push(`${title}:`, ...tally.map(([k, c]) => `  ${String(c).padStart(6)}  ${plain(k)}`));
      }
    }
    await write(lines.join('\n') + '\n');
  }
  return { events, malformed: reader.malformed, ...(reader.firstMalformed ? { firstMalformed: reader.firstMalformed } : {}) };
}

/**
 * Opens every log, or none: a missing one or a directory is the user's to
 * fix (exit 2), one root alone may read is incomplete (exit 3).
 */
async function openLogs(files: readonly string[]): Promise<{ file: string; handle: FileHandle }[]> {
  const opened: { file: string; handle: FileHandle }[] = [];
  try {
    for (const file of files) {
      let handle: FileHandle;
      try {
        handle = await open(file, 'r');
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') throw new InputError(`${file}: no such file`);
        throw new IncompleteError(`cannot read ${file}: ${code === 'EACCES' ? 'permission denied (audit logs are root\'s)' : (code ?? (e as Error).message)}`);
      }
      opened.push({ file, handle });
      // open(2) takes a directory; the first read would fail with EISDIR.
      if ((await handle.stat()).isDirectory()) throw new InputError(`${file}: is a directory, not an audit log`);
    }
    return opened;
  } catch (e) {
    await Promise.all(opened.map(({ handle }) => handle.close().catch(() => undefined)));
    throw e;
  }
}

const HEADER = ['TIME (UTC)'.padEnd(24), 'USER'.padEnd(16), 'SYSCALL'.padEnd(12), 'OK ', 'EXECUTABLE (COMMAND)'.padEnd(32), 'PATH'].join(' ');

function textEvent(e: AuditEvent, user: (id: number | undefined) => string): string {
  const who = `${user(e.auid)}${e.uid === e.auid ? '' : ` as ${user(e.uid)}`}`;
  // A rule change is told by what it did (add_rule), not by the sendto that carried it.
  const what = e.op ?? e.syscall ?? e.types[0] ?? '';
  const ok = e.success === undefined ? '-' : e.success ? 'yes' : 'no';
  const exe = `${e.exe ?? '-'}${e.comm && e.comm !== basename(e.exe ?? '') ? ` (${e.comm})` : ''}`;
  return [new Date(e.time).toISOString().padEnd(24), plain(who).padEnd(16), plain(what).padEnd(12), ok.padEnd(3), plain(exe).padEnd(32), plain(e.paths.join(', ') || '-')].join(' ');
}

function jsonEvent(e: AuditEvent, user: (id: number | undefined) => string) {
  return {
    time: new Date(e.time).toISOString(),
    serial: e.serial,
    auid: e.auid ?? null,
    user: user(e.auid),
    uid: e.uid ?? null,
    uidName: e.uid === undefined ? null : user(e.uid),
    pid: e.pid ?? null,
    exe: e.exe ?? null,
    comm: e.comm ?? null,
    proctitle: e.proctitle ?? null,
    syscall: e.syscall ?? null,
    success: e.success ?? null,
    paths: e.paths,
    keys: e.keys,
    records: e.types,
    ...(e.op !== undefined ? { op: e.op } : {}),
  };
}

function sorted(t: Tally): [string, number][] {
  return [...t].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}
