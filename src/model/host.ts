import type { At, Known, Loc } from './value.js';
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

/**
 * Section host (CIS 1.x): mounts, the docker group, auditd rules. Filled in
 * by src/inputs/host/system.ts. A part is missing when it could not be known
 * (its file unreadable: the audit's notes say so); a missing part is never a
 * finding.
 */
export interface HostSystem {
  /** The host's mount table, for the separate-partition check (1.1.1). */
  readonly mounts?: MountTable;
  /** The Docker root dir (1.1.1, 1.1.5), when it exists on the host. */
  readonly dockerRoot?: DockerRoot;
  /** The `docker` group (1.1.2), undefined when the host has no such group. */
  readonly dockerGroup?: DockerGroup;
  /** The audit watches in force (1.1.3–1.1.18). */
  readonly audit?: AuditRules;
  /** The CIS 1.1.3–1.1.18 paths that exist on this host (a path that does not exist needs no watch). */
  readonly cisPaths: readonly CisPath[];
}

export interface MountTable {
  /** The host path it was read from, e.g. /proc/1/mounts. */
  readonly file: string;
  /** In the table's order: a later mount at the same point is on top of an earlier one. */
  readonly mounts: readonly Mount[];
}

export interface Mount {
  readonly device: string;
  readonly mountPoint: string;
  readonly fsType: string;
  /** Its line in the mount table. */
  readonly at: At;
}

export interface DockerRoot {
  /** As the engine reports it (or the default). */
  readonly path: string;
  /** The same with every symlink resolved on the host: where the data really is. */
  readonly realPath: string;
  /** `info`: DockerRootDir from the engine's /info; `default`: /var/lib/docker, the engine not asked. */
  readonly from: 'info' | 'default';
}

export interface DockerGroup {
  readonly gid: number;
  /** Its line in /etc/group. */
  readonly at: At;
  /** Users listed in the group's line, then users whose primary group it is (/etc/passwd), each once. */
  readonly members: readonly GroupMember[];
}

export interface GroupMember {
  readonly name: string;
  /** `listed`: named in /etc/group; `primary`: the user's group in /etc/passwd. */
  readonly via: 'listed' | 'primary';
  readonly at: At;
}

/** The audit rules that watch files, from the rule files and (root / only) the kernel's loaded rules. */
export interface AuditRules {
  readonly watches: readonly AuditWatch[];
  /** Where `-a never,task` turns off auditing of every process (so no watch records anything), if it does. */
  readonly disabledBy?: At;
}

/**
 * One file watch: `-w PATH -p PERMS`, or a syscall rule that amounts to one
 * (`-a always,exit -F path=PATH -F perm=PERMS`, `-F dir=DIR`).
 */
export interface AuditWatch {
  /** As written. */
  readonly path: string;
  /** The path with its parent folders' symlinks resolved on the host, as the kernel places the watch. */
  readonly realPath: string;
  /**
   * True when the watch covers everything below the path: `-w` on a
   * directory and `-F dir=` (the kernel's recursive tree watch); false for
   * `-F path=`, which matches that one inode.
   */
  readonly recursive: boolean;
  /** The access types watched, a subset of `rwxa` in that order (`-w` without `-p` is all four). */
  readonly permissions: string;
  readonly key?: string;
  /** The rule's line in its file, or `auditctl -l` for a loaded rule. */
  readonly at: At;
}

/** A path CIS 1.1.3–1.1.18 asks to audit, found on this host. */
export interface CisPath {
  /** The benchmark item, e.g. `1.1.3`. */
  readonly item: string;
  /** What the benchmark calls it, e.g. `the Docker daemon binary`. */
  readonly what: string;
  /** Where it is on this host (a binary may be in /usr/bin or /usr/sbin, a unit in any systemd unit folder). */
  readonly path: string;
  /** The path with its parent folders' symlinks resolved, to compare with watches. */
  readonly realPath: string;
}

/**
 * Section daemon (CIS 2.x): the dockerd settings in effect, command-line
 * flags merged over daemon.json, each keyed by its daemon.json name
 * (`icc`, `log-level`, `insecure-registries`, `tlsverify`, `tlscacert` …),
 * and what the running engine says of itself in `GET /info`.
 * Filled in by src/inputs/host/daemon-config.ts.
 */
export interface DaemonConfig {
  /** The daemon as findings name it: /info's Name, else the host's name. */
  readonly name: string;
  /** The dockerd process serving the audited engine, when it was found in /proc. */
  readonly process?: DockerdProcess;
  /** The daemon.json in use (--config-file, else /etc/docker/daemon.json) and whether it exists. */
  readonly configFile: { readonly path: string; readonly exists: boolean };
  /**
   * Every setting given, on the command line or in the file, with a value of
   * the type dockerd expects for a key it knows (a wrongly typed value is a
   * note, not a setting); dockerd's defaults are not here.
   */
  readonly settings: ReadonlyMap<string, Setting>;
  /**
   * True when both the command line and daemon.json (or its absence) were
   * read, so a setting given in neither is at dockerd's default. False when
   * either is unknown (no dockerd process serving the engine was found, the
   * file is malformed or unreadable): then only what is given is known, and
   * nothing is judged by a default.
   */
  readonly complete: boolean;
  /** What the running engine reports in `GET /info`, when it answered: the authority for what it says. */
  readonly info?: DaemonInfo;
  /** The daemon-wide seccomp profile, when it is a file that could be read. */
  readonly seccompProfile?: SeccompProfileFile;
}

export interface DockerdProcess {
  readonly pid: number;
  readonly argv: readonly string[];
  /** Its effective user id (from /proc/PID/status): not 0 for a rootless daemon. */
  readonly uid?: number;
}

/** One daemon setting: its value as daemon.json would hold it, and where it was set. */
export type Setting = FlagSetting | FileSetting;

/** Set on the dockerd command line; path `dockerd --icc`. */
export interface FlagSetting extends Known<unknown> {
  readonly from: 'flag';
  /** The arguments that set it, as written (`--icc=false`); a repeatable flag has one per value, in order. */
  readonly args: readonly string[];
}

/** Set in daemon.json; path the key, `loc` where the key is. */
export interface FileSetting extends Known<unknown> {
  readonly from: 'file';
  readonly loc: Loc;
  /** Where each element is, when the value is an array. */
  readonly elements?: readonly Loc[];
}

/** The facts of `GET /info` the daemon section reads; a field is missing when /info did not give it. */
export interface DaemonInfo {
  readonly name: string;
  readonly serverVersion?: string;
  /** e.g. `name=seccomp,profile=default`, `name=userns`, `name=rootless`, `name=no-new-privileges`. */
  readonly securityOptions?: readonly string[];
  /** Storage driver. */
  readonly driver?: string;
  readonly loggingDriver?: string;
  readonly liveRestoreEnabled?: boolean;
  readonly experimentalBuild?: boolean;
  readonly debug?: boolean;
  /** Plugins.Authorization. */
  readonly authorizationPlugins?: readonly string[];
  /** RegistryConfig: InsecureRegistryCIDRs, and the names of IndexConfigs that are not Secure. */
  readonly insecureRegistries?: readonly string[];
  /** Swarm.LocalNodeState. */
  readonly swarm?: string;
}

/** A seccomp profile file named by seccomp-profile, as read. */
export interface SeccompProfileFile {
  readonly path: string;
  /** Its defaultAction: what happens to a system call no rule names. */
  readonly defaultAction: string;
  readonly at: At;
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
