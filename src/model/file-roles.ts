/**
 * The daemon's files as CIS Docker Benchmark 3.1–3.24 names them, and what
 * each should be: owned by root, its group, and the most its mode may allow.
 * The files section (src/inputs/host/files.ts) gives each file it finds one
 * of these roles; the file rules judge it by the role.
 */
export interface FileExpectation {
  /** The group it should have besides root: the Docker socket may belong to the daemon's socket group (`docker`). */
  readonly group: 'root' | 'docker';
  /** The permission bits it may have at most: a mode is too permissive when it has a bit this lacks. */
  readonly maxMode: number;
  /** The CIS items on its ownership and on its mode. */
  readonly ownerItem: string;
  readonly modeItem: string;
}

export const FILE_ROLES = {
  'docker.service': { group: 'root', maxMode: 0o644, ownerItem: '3.1', modeItem: '3.2' },
  // A drop-in changes the unit as much as the unit file does (a new ExecStart=, -H tcp://…): the same items hold.
  'docker.service drop-in': { group: 'root', maxMode: 0o644, ownerItem: '3.1', modeItem: '3.2' },
  'docker.socket': { group: 'root', maxMode: 0o644, ownerItem: '3.3', modeItem: '3.4' },
  'docker.socket drop-in': { group: 'root', maxMode: 0o644, ownerItem: '3.3', modeItem: '3.4' },
  '/etc/docker': { group: 'root', maxMode: 0o755, ownerItem: '3.5', modeItem: '3.6' },
  'registry certificate': { group: 'root', maxMode: 0o444, ownerItem: '3.7', modeItem: '3.8' },
  'TLS CA certificate': { group: 'root', maxMode: 0o444, ownerItem: '3.9', modeItem: '3.10' },
  'TLS server certificate': { group: 'root', maxMode: 0o444, ownerItem: '3.11', modeItem: '3.12' },
  'TLS server key': { group: 'root', maxMode: 0o400, ownerItem: '3.13', modeItem: '3.14' },
  'Docker socket': { group: 'docker', maxMode: 0o660, ownerItem: '3.15', modeItem: '3.16' },
  'daemon.json': { group: 'root', maxMode: 0o644, ownerItem: '3.17', modeItem: '3.18' },
  '/etc/default/docker': { group: 'root', maxMode: 0o644, ownerItem: '3.19', modeItem: '3.20' },
  '/etc/sysconfig/docker': { group: 'root', maxMode: 0o644, ownerItem: '3.21', modeItem: '3.22' },
  'containerd socket': { group: 'root', maxMode: 0o660, ownerItem: '3.23', modeItem: '3.24' },
} as const satisfies Record<string, FileExpectation>;

export type FileRole = keyof typeof FILE_ROLES;

/** Every CIS item of section 3, for the rules' references. */
export const OWNER_ITEMS = [...new Set(Object.values(FILE_ROLES).map((e) => `CIS-${e.ownerItem}`))];
export const MODE_ITEMS = [...new Set(Object.values(FILE_ROLES).map((e) => `CIS-${e.modeItem}`))];
