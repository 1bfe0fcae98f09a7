import type { HostRoot } from './host-root.js';

/**
 * systemd's search path for system units, first wins: what
 * `systemd-analyze unit-paths` prints on Debian 12, whose systemd keeps
 * /lib/systemd/system apart from /usr/lib/systemd/system (on a merged-/usr
 * host /lib is a link to usr/lib and both name the same folder).
 */
export const UNIT_PATHS: readonly string[] = [
  '/etc/systemd/system.control',
  '/run/systemd/system.control',
  '/run/systemd/transient',
  '/run/systemd/generator.early',
  '/etc/systemd/system',
  '/etc/systemd/system.attached',
  '/run/systemd/system',
  '/run/systemd/system.attached',
  '/run/systemd/generator',
  '/usr/local/lib/systemd/system',
  '/lib/systemd/system',
  '/usr/lib/systemd/system',
  '/run/systemd/generator.late',
];

/** A unit as systemd loads it. */
export interface UnitFiles {
  /** The unit file in use: the first found along the search path. */
  readonly path: string;
  /** Its drop-ins (`<unit>.d/*.conf`) in the order systemd applies them: by file name, a name in an earlier folder hiding the same name in later ones. */
  readonly dropIns: readonly string[];
}

/**
 * Where systemd finds a unit and its drop-ins on the host; undefined when the
 * unit is not there or is masked with a link to /dev/null (then no copy of it
 * is used). A unit masked with an empty file is still given: whoever can
 * write that file can unmask the unit with contents of their own.
 */
export function findUnit(root: HostRoot, name: string): UnitFiles | undefined {
  let path: string | undefined;
  for (const dir of UNIT_PATHS) {
    const state = unitFileState(root, `${dir}/${name}`);
    if (state === 'null') return undefined;
    if (state === 'file') {
      path = `${dir}/${name}`;
      break;
    }
  }
  if (path === undefined) return undefined;
  const byName = new Map<string, string>();
  for (const dir of UNIT_PATHS) {
    const folder = `${dir}/${name}.d`;
    for (const file of root.list(folder) ?? []) {
      if (!file.endsWith('.conf') || byName.has(file)) continue;
      byName.set(file, `${folder}/${file}`); // kept even when linked to /dev/null: it still hides the later ones
    }
  }
  const dropIns = [...byName.keys()]
    .sort()
    .map((file) => byName.get(file)!)
    .filter((p) => unitFileState(root, p) === 'file');
  return { path, dropIns };
}

/** A socket file a socket unit listens on, and the line that says so. */
export interface ListenPath {
  readonly path: string;
  readonly from: string;
}

/**
 * The file-system sockets a socket unit listens on: `ListenStream=` values
 * that are absolute paths (not ports, addresses or @abstract names) in its
 * [Socket] section, drop-ins applied in order, an empty assignment clearing
 * the list as systemd does. `%t` is the system manager's runtime folder, /run.
 */
export function listenStreamPaths(root: HostRoot, unit: UnitFiles): ListenPath[] {
  let paths: ListenPath[] = [];
  for (const file of [unit.path, ...unit.dropIns]) {
    let section = '';
    const lines = (root.readText(file) ?? '').split('\n');
    lines.forEach((raw, i) => {
      const line = raw.trim();
      if (line.startsWith('[')) section = line;
      if (section !== '[Socket]') return;
      const m = /^ListenStream\s*=(.*)$/.exec(line);
      if (!m) return;
      const value = m[1]!.trim();
      if (value === '') paths = [];
      const path = value.replace(/%[t%]/g, (s) => (s === '%t' ? '/run' : '%'));
      if (path.startsWith('/')) paths.push({ path, from: `${file}:${i + 1} ListenStream` });
    });
  }
  return paths;
}

/** A unit file is a file, or /dev/null (a link to it masks the unit or drop-in), or not there. */
function unitFileState(root: HostRoot, path: string): 'absent' | 'null' | 'file' {
  if (root.linkTarget(path) === '/dev/null') return 'null'; // under --root, /dev/null itself may be missing
  const st = root.stat(path);
  if (!st) return 'absent';
  if (st.isCharacterDevice()) return 'null';
  return st.isFile() ? 'file' : 'absent';
}
