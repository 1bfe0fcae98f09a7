import { HostReadError, type HostRoot } from './host-root.js';

/** One part of a process's facts could not be read: the process exited, the entry is missing or unreadable. */
export class MissingPart extends Error {}

/**
 * The /proc/PID folder of one process, read through a HostRoot (so `--root`
 * and test trees work). Every read throws MissingPart with a reason a user
 * can act on; a process that exits between two reads shows as "exited".
 */
export class ProcessDir {
  constructor(
    readonly root: HostRoot,
    readonly pid: number,
  ) {}

  get path(): string {
    return `/proc/${this.pid}`;
  }

  exists(): boolean {
    try {
      return this.root.stat(this.path) !== undefined;
    } catch {
      return true; // there, but not ours to stat
    }
  }

  text(name: string): string {
    let text: string | undefined;
    try {
      text = this.root.readText(`${this.path}/${name}`);
    } catch (e) {
      throw this.missing(name, e);
    }
    if (text === undefined) throw this.missing(name);
    return text;
  }

  /** A symlink's target as written (the ns/* links: `net:[4026531840]`). */
  link(name: string): string {
    let target: string | undefined;
    try {
      target = this.root.linkTarget(`${this.path}/${name}`);
    } catch (e) {
      throw this.missing(name, e);
    }
    if (target === undefined) throw this.missing(name);
    return target;
  }

  private missing(name: string, e?: unknown): MissingPart {
    if (!this.exists()) return new MissingPart(`process ${this.pid} exited`);
    if (e instanceof HostReadError) return new MissingPart(e.message);
    if (e) return new MissingPart(`${this.path}/${name}: ${(e as Error).message}`);
    return new MissingPart(`${this.path}/${name}: not present`);
  }
}

/** Reads one part; on MissingPart, notes why and gives null, so the rest of the facts are still shown. */
export function part<T>(what: string, notes: string[], read: () => T): T | null {
  try {
    return read();
  } catch (e) {
    if (!(e instanceof MissingPart)) throw e;
    notes.push(`${what} not read: ${e.message}`);
    return null;
  }
}
