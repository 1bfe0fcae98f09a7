import type { At, Known } from './value.js';
import type { FileRole } from './file-roles.js';

/**
 * The audited host: facts read from its files and /proc under `root`, one
 * optional group per section. A group is missing when its section did not
 * run, or could not read what it needs (the audit's notes say which).
 */
export interface Host {
  /** Where the host's `/` is: '/' normally, the --root folder (e.g. /host) when bulkhead runs beside the host. */
  readonly root: string;
  /** The host's name, as findings about it show it. */
  readonly name: string;
  /** Section host (CIS 1.x). */
  readonly system?: HostSystem;
  /** Section daemon (CIS 2.x): the dockerd settings in effect. */
  readonly daemon?: DaemonConfig;
  /** Section files (CIS 3.x). */
  readonly files?: readonly HostFile[];
}

/** Section host (CIS 1.x): mounts, the docker group, auditd rules. Filled in by src/inputs/host/system.ts. */
export interface HostSystem {
  /** Where each mount point is and what it holds (from the mount table), for the separate-partition check. */
  readonly mounts: readonly Mount[];
  /** Members of the `docker` group (from /etc/group), undefined when there is no such group. */
  readonly dockerGroup?: { readonly members: readonly string[]; readonly at: At };
  /** Paths watched by audit rules (rule files and, when it can run, `auditctl -l`), with where each watch is written. */
  readonly auditWatches: ReadonlyMap<string, AuditWatch>;
  /** Which of the CIS 1.1.3–1.1.18 paths exist on this host (a path that does not exist needs no watch). */
  readonly existing: ReadonlySet<string>;
}

export interface Mount {
  readonly device: string;
  readonly mountPoint: string;
  readonly fsType: string;
}

export interface AuditWatch {
  readonly path: string;
  /** The permissions watched (`rwxa`), as written. */
  readonly permissions: string;
  readonly at: At;
}

/**
 * Section daemon (CIS 2.x): the dockerd settings in effect, command-line
 * flags merged over daemon.json, each keyed by its daemon.json name
 * (`icc`, `log-level`, `insecure-registries`, `tlsverify`, `tlscacert` …).
 * Filled in by src/inputs/host/daemon-config.ts.
 */
export interface DaemonConfig {
  /** The dockerd process serving the audited engine, when it was found in /proc. */
  readonly process?: { readonly pid: number; readonly argv: readonly string[] };
  /** The daemon.json in use (--config-file, else /etc/docker/daemon.json) and whether it exists. */
  readonly configFile: { readonly path: string; readonly exists: boolean };
  /** Every setting given, on the command line or in the file; dockerd's defaults are not here. */
  readonly settings: ReadonlyMap<string, Setting>;
}

/** One daemon setting: its value as daemon.json would hold it, and where it was set. */
export interface Setting extends Known<unknown> {
  /** `flag`: the dockerd command line (path `dockerd --icc`); `file`: daemon.json (path the key, with its position). */
  readonly from: 'flag' | 'file';
}

/** Section files (CIS 3.x): one file or folder the benchmark names, as stat saw it. Filled in by src/inputs/host/files.ts. */
export interface HostFile {
  /** The path on the host (without the --root prefix). */
  readonly path: string;
  /** What the benchmark calls it, e.g. `docker.service`, `TLS CA certificate`: says what it should be (file-roles.ts). */
  readonly role: FileRole;
  /** Where a configured path was set, e.g. `dockerd --tlskey`, `/etc/docker/daemon.json:4 tlskey`, `/lib/systemd/system/docker.socket ListenStream`. */
  readonly from?: string;
  readonly type: 'file' | 'directory' | 'socket' | 'other';
  readonly uid: number;
  readonly gid: number;
  /** Owner and group names from the host's /etc/passwd and /etc/group, when they have one. */
  readonly owner?: string;
  readonly group?: string;
  /** Permission bits (mode & 0o7777). */
  readonly mode: number;
}
