/**
 * Reads the syscalls out of an `strace -f` log, in the forms strace writes:
 * `name(args) = ret`, prefixed `[pid N] ` (to a terminal) or `N  ` (with -o),
 * optionally after a -t/-tt/-ttt/-r timestamp and an -i instruction pointer;
 * `name(args <unfinished ...>` and `<... name resumed>rest`; and the lines
 * that are not calls: `+++ exited with 0 +++`, `--- SIGCHLD {...} ---`,
 * `strace: Process N attached`, -k stack frames, personality changes; and,
 * without -o, the tails of lines another process's output split.
 */
export interface StraceSyscalls {
  /** Each syscall name seen, with how many times it was entered. */
  readonly counts: ReadonlyMap<string, number>;
  /** Lines that were neither a call nor one of strace's own notes. */
  readonly unrecognized: number;
}

const PREFIX = /^(?:\[pid\s+\d+\]\s*|\d+\s+)?(?:\d{2}:\d{2}:\d{2}(?:\.\d+)?\s+|\d+\.\d+\s+)?(?:\[[0-9a-f?]+\]\s+)?/;
const CALL = /^([a-z_][a-z0-9_]*)\(/;
const RESUMED = /^<\.\.\. ([a-z_][a-z0-9_]*) resumed>/;
const NOTE = /^(?:\+\+\+ |--- |strace: |> |\[ Process PID=|\?\?\?\?)/;
/** The tail of a call whose line another process's output split (strace writing to a terminal without -o). */
const CONTINUATION = /^(?:,|\)|<unfinished \.\.\.>)/;

/** Reads a log line by line (the logs of a long trace run to gigabytes; only a line's start matters). */
export class StraceReader implements StraceSyscalls {
  readonly counts = new Map<string, number>();
  unrecognized = 0;

  line(raw: string): void {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (!line.trim()) return;
    const rest = line.slice(PREFIX.exec(line)![0].length).trimStart();
    // A resumed call was counted when it started.
    if (RESUMED.test(rest) || NOTE.test(rest) || CONTINUATION.test(rest)) return;
    const call = CALL.exec(rest);
    if (call) this.counts.set(call[1]!, (this.counts.get(call[1]!) ?? 0) + 1);
    else this.unrecognized++;
  }
}

export function syscallsInStrace(text: string): StraceSyscalls {
  const reader = new StraceReader();
  for (const line of text.split('\n')) reader.line(line);
  return reader;
}
