import { numberedLines, type Parsed } from './lines.js';
import { quoted } from './quote.js';
import type { Loc } from '../../model/value.js';

/** One line of /etc/group: `NAME:PASSWORD:GID:MEMBER,MEMBER`. */
export interface GroupEntry {
  readonly name: string;
  readonly gid: number;
  readonly members: readonly string[];
  readonly loc: Loc;
}

/** One line of /etc/passwd: `NAME:PASSWORD:UID:GID:GECOS:HOME:SHELL` (only what the audit uses). */
export interface PasswdEntry {
  readonly name: string;
  readonly gid: number;
  readonly loc: Loc;
}

/** An id as the files write it: decimal digits only (parseInt would take `12abc`). */
function id(text: string): number | undefined {
  return /^\d{1,10}$/.test(text) ? Number(text) : undefined;
}

/**
 * Lines that are not entries: blank ones, and NIS compat entries
 * (`+name`, `-name`, `+`), which name accounts held elsewhere.
 */
function skipped(line: string): boolean {
  return line.trim() === '' || line.startsWith('+') || line.startsWith('-');
}

export function parseGroup(text: string, file: string): Parsed<GroupEntry> {
  const items: GroupEntry[] = [];
  const problems: string[] = [];
  for (const { text: line, line: n } of numberedLines(text)) {
    if (skipped(line)) continue;
    const fields = line.split(':');
    const gid = id(fields[2] ?? '');
    if (fields.length !== 4 || !fields[0] || gid === undefined) {
      problems.push(`${file}:${n}: not a group entry: ${quoted(line)}`);
      continue;
    }
    const members = fields[3]!.split(',').map((m) => m.trim()).filter(Boolean);
    items.push({ name: fields[0], gid, members, loc: { file, line: n, column: 1, endLine: n, endColumn: line.length + 1 } });
  }
  return { items, problems };
}

export function parsePasswd(text: string, file: string): Parsed<PasswdEntry> {
  const items: PasswdEntry[] = [];
  const problems: string[] = [];
  for (const { text: line, line: n } of numberedLines(text)) {
    if (skipped(line)) continue;
    const fields = line.split(':');
    const gid = id(fields[3] ?? '');
    if (fields.length !== 7 || !fields[0] || id(fields[2] ?? '') === undefined || gid === undefined) {
      problems.push(`${file}:${n}: not a passwd entry: ${quoted(line)}`);
      continue;
    }
    items.push({ name: fields[0], gid, loc: { file, line: n, column: 1, endLine: n, endColumn: line.length + 1 } });
  }
  return { items, problems };
}
