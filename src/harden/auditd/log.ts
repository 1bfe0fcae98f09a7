import { posix } from 'node:path';
import { X86_64_SYSCALLS } from './syscalls-x86_64.js';

/**
 * audit.log, as auditd writes it: one record a line,
 * `[node=N ]type=T msg=audit(EPOCH.MILLIS:SERIAL): name=value …`, the
 * records of one event sharing the `audit(…)` stamp. In the ENRICHED format
 * (Debian's default) a 0x1d byte ends the kernel's fields and auditd's own
 * translations follow; only the kernel's are read, so RAW logs read the same.
 */
const RECORD = /^(?:node=\S+ )?type=(\S+) msg=audit\((\d+)\.(\d{3}):(\d+)\): ?(.*)$/;
const FIELD = /([A-Za-z_][\w-]*)=("[^"]*"|'[^']*'|\S*)/g;

export interface AuditRecord {
  readonly type: string;
  /** The event's stamp, `EPOCH.MILLIS:SERIAL`: the records of one event share it. */
  readonly id: string;
  /** Milliseconds since the epoch. */
  readonly time: number;
  readonly fields: ReadonlyMap<string, string>;
}

/** One record, or undefined for a line that is not one. */
export function parseRecord(line: string): AuditRecord | undefined {
  const m = RECORD.exec(line);
  if (!m) return undefined;
  const [, type, seconds, millis, serial, rest] = m as unknown as [string, string, string, string, string, string];
  const time = Number(seconds) * 1000 + Number(millis);
  // A stamp no Date can hold (a corrupt or forged line) would fail when printed: such a record is malformed.
  if (Number.isNaN(new Date(time).getTime())) return undefined;
  const fields = new Map<string, string>();
  for (const f of (rest.split('\x1d')[0] ?? '').matchAll(FIELD)) if (!fields.has(f[1]!)) fields.set(f[1]!, f[2]!);
  return { type, id: `${seconds}.${millis}:${serial}`, time, fields };
}

/**
 * A string field as the kernel logs it: in double quotes when it is plain
 * text, else hex-encoded (any blank, quote or control character, as in a
 * file name with a space, or a proctitle's NUL-separated arguments);
 * `(null)` and `(none)` for nothing. NULs become spaces (a proctitle's argv).
 */
export function decodeString(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '(null)' || raw === '(none)' || raw === '?') return undefined;
  if (raw.startsWith('"') && raw.endsWith('"') && raw.length >= 2) return raw.slice(1, -1);
  if (/^(?:[0-9A-Fa-f]{2})+$/.test(raw)) return Buffer.from(raw, 'hex').toString('utf8').replace(/\0+$/, '').replace(/\0/g, ' ');
  return raw;
}

/** An id field: a number, or undefined for 4294967295 ((uid_t)-1: never set, as the auid of a process no login started) or a missing one. */
export function idField(raw: string | undefined): number | undefined {
  if (raw === undefined || !/^\d+$/.test(raw)) return undefined;
  const n = Number(raw);
  return n === 4294967295 ? undefined : n;
}

/** audit's arch for x86_64 (AUDIT_ARCH_X86_64). */
const ARCH_X86_64 = 'c000003e';

/** One audit event, made readable (what `ausearch -i` shows, in one line). */
export interface AuditEvent {
  /** Milliseconds since the epoch. */
  readonly time: number;
  readonly serial: number;
  /** The record types, in the order logged (SYSCALL, CWD, PATH, PROCTITLE…). */
  readonly types: readonly string[];
  /** The rule keys that matched (a rule may carry several). */
  readonly keys: readonly string[];
  /** The syscall's name (x86_64), else `syscall N (arch A)`; undefined for an event without a SYSCALL record. */
  readonly syscall?: string;
  readonly success?: boolean;
  /** Login user id: who logged in, kept across su and sudo; undefined when unset. */
  readonly auid?: number;
  readonly uid?: number;
  readonly pid?: number;
  readonly exe?: string;
  readonly comm?: string;
  /** The command line, from PROCTITLE (argv joined by spaces; the kernel keeps 128 bytes of it). */
  readonly proctitle?: string;
  /** The objects the syscall named (PATH records other than the parent folder), absolute (relative ones joined to CWD). */
  readonly paths: readonly string[];
  /** A change of the audit rules or settings (CONFIG_CHANGE, e.g. `add_rule`, `remove_rule`): its `op=`. */
  readonly op?: string;
}

/** Builds the event of a group of records. */
export function eventOf(records: readonly AuditRecord[]): AuditEvent {
  const first = records[0]!;
  const get = (type: string) => records.find((r) => r.type === type)?.fields;
  const syscall = get('SYSCALL');
  const main = syscall ?? first.fields;
  const keyRaw = records.map((r) => r.fields.get('key')).find((k) => k !== undefined && k !== '(null)');
  const keys = (decodeString(keyRaw) ?? '').split('\x01').filter(Boolean);
  const cwd = decodeString(get('CWD')?.get('cwd'));
  const pathRecords = records.filter((r) => r.type === 'PATH');
  const named = pathRecords.filter((r) => r.fields.get('nametype') !== 'PARENT');
  const paths = (named.length ? named : pathRecords)
    .map((r) => decodeString(r.fields.get('name')))
    .filter((n): n is string => n !== undefined)
    .map((n) => (n.startsWith('/') || cwd === undefined ? n : posix.join(cwd, n)));
  const number = syscall?.get('syscall');
  const arch = syscall?.get('arch');
  const name = number === undefined ? undefined : arch === ARCH_X86_64 ? (X86_64_SYSCALLS.get(Number(number)) ?? `syscall ${number}`) : `syscall ${number} (arch ${arch ?? '?'})`;
  const success = syscall?.get('success');
  const auid = idField(main.get('auid'));
  const uid = idField(main.get('uid'));
  const pid = idField(main.get('pid'));
  const exe = decodeString(main.get('exe'));
  const comm = decodeString(main.get('comm'));
  const proctitle = decodeString(get('PROCTITLE')?.get('proctitle'));
  const change = get('CONFIG_CHANGE');
  const op = change ? decodeString(change.get('op')) : undefined;
  return {
    time: first.time,
    serial: Number(first.id.split(':')[1]),
    types: records.map((r) => r.type),
    keys,
    ...(name !== undefined ? { syscall: name } : {}),
    ...(success === 'yes' || success === 'no' ? { success: success === 'yes' } : {}),
    ...(auid !== undefined ? { auid } : {}),
    ...(uid !== undefined ? { uid } : {}),
    ...(pid !== undefined ? { pid } : {}),
    ...(exe !== undefined ? { exe } : {}),
    ...(comm !== undefined ? { comm } : {}),
    ...(proctitle !== undefined ? { proctitle } : {}),
    paths,
    ...(op !== undefined ? { op } : {}),
  };
}

/**
 * Events still being gathered. auditd writes an event's records together,
 * but records of different events can interleave; a few hundred open at
 * once is far more than that, and keeps memory bounded on any log: the
 * oldest is finished when more arrive.
 */
const MAX_OPEN = 256;

/**
 * Records one event may gather. A real one has a handful (SYSCALL, CWD, a
 * PATH per name, EXECVE, PROCTITLE); a log that repeats a stamp (copied
 * twice, or forged) would otherwise pile thousands into one event.
 */
const MAX_RECORDS = 64;

/** Reads records line by line and hands on each event once complete. */
export class EventReader {
  private readonly open = new Map<string, AuditRecord[]>();
  malformed = 0;
  firstMalformed?: { readonly file: string; readonly line: number };

  constructor(private readonly emit: (event: AuditEvent) => void) {}

  line(text: string, file: string, line: number): void {
    if (text.trim() === '') return;
    const r = parseRecord(text);
    if (!r) return this.skip(file, line);
    if (r.type === 'EOE') return this.finish(r.id);
    const records = this.open.get(r.id);
    if (records) {
      if (records.length < MAX_RECORDS) records.push(r);
      else this.skip(file, line);
      return;
    }
    if (this.open.size >= MAX_OPEN) this.finish(this.open.keys().next().value!);
    this.open.set(r.id, [r]);
  }

  /** Counts a line that is not a record (or one too long to be one, read no further). */
  skip(file: string, line: number): void {
    this.malformed++;
    this.firstMalformed ??= { file, line };
  }

  /** Finishes every open event (at the end of the input). */
  end(): void {
    for (const id of [...this.open.keys()]) this.finish(id);
  }

  private finish(id: string): void {
    const records = this.open.get(id);
    if (!records) return;
    this.open.delete(id);
    this.emit(eventOf(records));
  }
}
