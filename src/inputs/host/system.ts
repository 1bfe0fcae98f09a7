import { posix } from 'node:path';
import type { AuditRules, Host, AuditWatch, DockerGroup, DockerRoot, GroupMember, HostSystem, MountTable } from '../../model/host.js';
import type { At } from '../../model/value.js';
import { HostReadError, type HostRoot } from '../../linux/host-root.js';
import type { HostInputs } from './collect.js';
import { parseMounts } from './mounts.js';
import { parseGroup, parsePasswd } from './accounts.js';
import { inForce, parseAuditctlList, parseAuditRules, type InForce } from './audit-rules.js';
import { loadedAuditRules } from './auditctl.js';
import { cisPathsOn } from './cis-paths.js';
import { watchedPath } from './watched-path.js';
import { summarise } from './lines.js';

type Note = (message: string) => void;

/** The Docker root dir when the engine was not asked (dockerd's default data-root). */
const DEFAULT_DOCKER_ROOT = '/var/lib/docker';

/**
 * Section host (CIS 1.x): the mount table, the docker group, the audit
 * rules and which CIS paths exist. Each part that cannot be read is noted
 * and left out; the others are still checked.
 */
export async function collectSystem(inputs: HostInputs, _host: Host, note: Note): Promise<HostSystem> {
  const { root } = inputs;
  const mounts = part(note, 'the mount table was not checked', () => mountTable(root, note));
  const dockerRoot = part(note, 'the Docker root dir was not checked', () => dockerRootOf(root, inputs.info));
  const dockerGroup = part(note, 'the docker group was not checked', () => dockerGroupOf(root, note));
  const audit = await auditRules(root, note);
  const cisPaths = cisPathsOn(root, dockerRoot?.path ?? DEFAULT_DOCKER_ROOT, note);
  return {
    ...(mounts ? { mounts } : {}),
    ...(dockerRoot ? { dockerRoot } : {}),
    ...(dockerGroup ? { dockerGroup } : {}),
    ...(audit ? { audit } : {}),
    cisPaths,
  };
}

/** Runs one part; an unreadable host file makes it unknown (undefined), with a note. */
function part<T>(note: Note, unknown: string, read: () => T | undefined): T | undefined {
  try {
    return read();
  } catch (e) {
    if (!(e instanceof HostReadError)) throw e;
    note(`host section: could not read ${e.message}; ${unknown}`);
    return undefined;
  }
}

/**
 * The host's mount table. /proc/1/mounts under the root is right in both
 * ways bulkhead runs: on the host itself, PID 1 is the host's init, in the
 * host's mount namespace; in a container with the host's / at /host (and so
 * the host's /proc at /host/proc), /host/proc/1 is still the host's init.
 * /proc/self/mounts and /etc/mtab (nowadays a link to it) show the READER's
 * mount namespace, which in a container is the container's own: they are
 * used only when PID 1's table cannot be read with root /, where the reader
 * is on the host (reading /proc/1/mounts may need privileges), and /etc/mtab
 * as a last resort for a host tree without /proc (old hosts wrote it as a file).
 */
function mountTable(root: HostRoot, note: Note): MountTable | undefined {
  const candidates = root.root === '/' ? ['/proc/1/mounts', '/proc/self/mounts', '/etc/mtab'] : ['/proc/1/mounts', '/etc/mtab'];
  for (const file of candidates) {
    let text: string | undefined;
    try {
      text = root.readText(file);
    } catch (e) {
      // Under another root, the next candidates may show our own namespace: better no table than the wrong one.
      if (!(e instanceof HostReadError) || root.root !== '/') throw e;
      continue;
    }
    if (text === undefined) continue;
    const { items, problems } = parseMounts(text, file);
    const problem = summarise(problems);
    if (problem) note(`host section: ${problem}`);
    return { file, mounts: items };
  }
  note(`host section: no mount table (${candidates.join(', ')}); the Docker root dir's partition was not checked`);
  return undefined;
}

/** The engine's DockerRootDir when it answered, else the default; undefined when that folder does not exist on the host. */
function dockerRootOf(root: HostRoot, info: Record<string, unknown> | undefined): DockerRoot | undefined {
  const fromInfo = info?.['DockerRootDir'];
  const path = typeof fromInfo === 'string' && fromInfo.startsWith('/') ? fromInfo : DEFAULT_DOCKER_ROOT;
  const realPath = root.realPath(path);
  return realPath === undefined ? undefined : { path, realPath, from: path === fromInfo ? 'info' : 'default' };
}

/**
 * The `docker` group and who is in it: the users its /etc/group line lists,
 * and those whose primary group it is in /etc/passwd (the group line does
 * not list them, yet they have the group).
 */
function dockerGroupOf(root: HostRoot, note: Note): DockerGroup | undefined {
  const groupText = root.readText('/etc/group');
  if (groupText === undefined) return undefined;
  const groups = parseGroup(groupText, '/etc/group');
  const problem = summarise(groups.problems);
  if (problem) note(`host section: ${problem}`);
  // getgrnam(3) takes the first entry of a name.
  const group = groups.items.find((g) => g.name === 'docker');
  if (!group) return undefined;
  const at: At = { path: 'groups.docker', loc: group.loc };
  const members: GroupMember[] = group.members.map((name) => ({ name, via: 'listed', at }));
  const passwdText = root.readText('/etc/passwd');
  if (passwdText !== undefined) {
    const users = parsePasswd(passwdText, '/etc/passwd');
    const problem = summarise(users.problems);
    if (problem) note(`host section: ${problem}`);
    for (const u of users.items) {
      if (u.gid !== group.gid || members.some((m) => m.name === u.name)) continue;
      members.push({ name: u.name, via: 'primary', at: { path: `users.${u.name}.gid`, loc: u.loc } });
    }
  }
  return { gid: group.gid, at, members };
}

/**
 * The file watches in force: those of /etc/audit/rules.d/*.rules (what
 * augenrules loads), of /etc/audit/audit.rules (what auditctl -R loads, on
 * hosts without augenrules), and, with root /, the kernel's loaded rules
 * (`auditctl -l`). A watch in any of them counts. The kernel's rules are
 * read only when the root is /: under --root the folder may be another
 * machine's disk, whose kernel is not the one auditctl would ask.
 * Undefined when a rule file cannot be read: a watch might be in it.
 */
async function auditRules(root: HostRoot, note: Note): Promise<AuditRules | undefined> {
  const sets: InForce[] = [];
  try {
    sets.push(...configuredAuditRules(root, note));
  } catch (e) {
    if (!(e instanceof HostReadError)) throw e;
    note(`host section: could not read ${e.message}; the audit watches (CIS 1.1.3–1.1.18) were not checked`);
    return undefined;
  }
  if (root.root === '/') {
    const loaded = await loadedAuditRules();
    if (loaded.ok) {
      const { items, problems } = parseAuditctlList(loaded.text);
      const problem = summarise(problems);
      if (problem) note(`host section: ${problem}`);
      sets.push(inForce(items, false));
    } else note(`host section: the loaded audit rules were not read (${loaded.why}); only the rule files count`);
  }
  const watches: AuditWatch[] = sets.flatMap((s) => s.watches).map((w) => ({ ...w, realPath: watchedPath(root, w.path) }));
  const disabledBy = sets.find((s) => s.disabledBy)?.disabledBy;
  return disabledBy ? { watches, disabledBy } : { watches };
}

/**
 * The watches the rule files leave in force: /etc/audit/rules.d/*.rules as
 * augenrules loads them, and /etc/audit/audit.rules as auditctl -R does.
 * Throws HostReadError when one cannot be read. Also `bulkhead auditd
 * check`'s "configured" column, so it and this rule agree.
 */
export function configuredAuditRules(root: HostRoot, note: Note): InForce[] {
  const dir = '/etc/audit/rules.d';
  const names = (root.list(dir) ?? []).filter((n) => n.endsWith('.rules')).sort(versionOrder);
  const ops = names.flatMap((name) => parseFile(root, posix.join(dir, name), note));
  return [inForce(ops, true), inForce(parseFile(root, '/etc/audit/audit.rules', note), false)];
}

function parseFile(root: HostRoot, file: string, note: Note) {
  const text = root.readText(file);
  if (text === undefined) return [];
  const { items, problems } = parseAuditRules(text, file);
  const problem = summarise(problems);
  if (problem) note(`host section: ${problem}`);
  return items;
}

/** The order of `ls -v`, which augenrules uses: numbers in names compared as numbers (9-a.rules before 10-b.rules). */
export function versionOrder(a: string, b: string): number {
  const pa = a.split(/(\d+)/);
  const pb = b.split(/(\d+)/);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    if (x === y) continue;
    if (i % 2 === 1) {
      const d = BigInt(x) - BigInt(y);
      if (d !== 0n) return d < 0n ? -1 : 1;
    }
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}
