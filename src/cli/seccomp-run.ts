import { open } from 'node:fs/promises';
import { InputError } from '../core/errors.js';
import { buildProfile, type DockerSeccompProfile } from '../harden/seccomp/profile.js';
import { RUNTIME_NEEDS } from '../harden/seccomp/runtime-needs.js';
import { select } from '../harden/seccomp/selection.js';
import { eachLine } from '../inputs/each-line.js';
import { StraceReader, type StraceSyscalls } from '../harden/seccomp/strace-log.js';
import { KNOWN_SYSCALLS, SYSCALL_GROUPS, defaultAllowed } from '../harden/seccomp/syscall-groups.js';
import { plain } from '../reporters/sanitize.js';
import { writeAtomically } from './output.js';
import type { GroupsFormat, ProfileOptions } from './seccomp.js';

/** `bulkhead seccomp generate`. */
export async function generate(opts: ProfileOptions): Promise<void> {
  await emit(buildProfile(select(opts.allow, opts.deny)), opts);
}

/** `bulkhead seccomp from-strace LOG…`. */
export async function fromStrace(logs: readonly string[], opts: ProfileOptions): Promise<void> {
  const counts = new Map<string, number>();
  let unrecognized = 0;
  for (const log of logs) {
    const found = await readLog(log);
    if (!found.counts.size) throw new InputError(`${log}: no syscalls found; expected the output of \`strace -f -o LOG COMMAND\``);
    for (const [name, n] of found.counts) counts.set(name, (counts.get(name) ?? 0) + n);
    unrecognized += found.unrecognized;
  }
  const known = new Set(KNOWN_SYSCALLS);
  const seen = [...counts.keys()];
  const unknown = seen.filter((s) => !known.has(s)).sort();
  const start = new Set([...seen.filter((s) => known.has(s)), ...RUNTIME_NEEDS]);
  // Where clone3 is answered with ENOSYS, the C library falls back to clone.
  if (start.has('clone3')) start.add('clone');
  const selection = select(opts.allow, opts.deny, start);
  const byDefault = defaultAllowed();
  const outside = [...selection.allowed].filter((s) => !byDefault.has(s)).sort();
  const notes = [`${counts.size} syscalls in the log${logs.length > 1 ? 's' : ''}, ${selection.allowed.size} allowed with what the runtime needs`];
  if (unknown.length) notes.push(`unknown to bulkhead, left out: ${unknown.join(', ')}`);
  if (outside.length) notes.push(`allowed although the default profile denies them: ${outside.join(', ')}`);
  if (unrecognized) notes.push(`${unrecognized} line${unrecognized === 1 ? '' : 's'} not understood, skipped`);
  for (const n of notes) process.stderr.write(`bulkhead: ${plain(n)}\n`);
  await emit(buildProfile(selection), opts);
}

/**
 * A log's syscalls, read line by line (a trace of hours runs to gigabytes):
 * each read awaited, so Ctrl-C and SIGTERM are handled however long the log
 * or stdin; a line is held to 1 MiB (its call is at its start), and one
 * that runs on past the bytes bulkhead reads (/dev/zero) is an error.
 */
async function readLog(log: string): Promise<StraceSyscalls> {
  const reader = new StraceReader();
  const readError = (e: unknown) => new InputError(`cannot read ${log}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  if (log === '-') {
    await eachLine(process.stdin, 'stdin', (line) => reader.line(line), readError);
    return reader;
  }
  let handle;
  try {
    handle = await open(log, 'r');
  } catch (e) {
    throw readError(e);
  }
  try {
    await eachLine(handle.createReadStream({ autoClose: false }), log, (line) => reader.line(line), readError);
  } finally {
    await handle.close().catch(() => undefined);
  }
  return reader;
}

async function emit(profile: DockerSeccompProfile, opts: ProfileOptions): Promise<void> {
  const text = JSON.stringify(profile, null, 2) + '\n';
  if (opts.output === undefined || opts.output === '-') {
    process.stdout.write(text);
    return;
  }
  await writeAtomically(opts.output, [text]);
  process.stderr.write(`bulkhead: wrote ${plain(opts.output)}; use it with: docker run --security-opt seccomp=${plain(opts.output)} …\n`);
}

/** `bulkhead seccomp groups`. */
export function groups(format: GroupsFormat): string {
  if (format === 'json') return JSON.stringify(SYSCALL_GROUPS, null, 2) + '\n';
  return SYSCALL_GROUPS.map((g) => `${g.name} (${g.allowed ? 'allowed' : 'denied'} by default): ${g.purpose}\n  ${g.syscalls.join(' ')}\n`).join('\n');
}
