import pc from 'picocolors';
import type { Finding } from '../core/finding.js';
import type { Risk } from '../core/process-risks.js';
import type { Limit } from '../linux/cgroups.js';
import { NAMESPACE_TYPES } from '../linux/namespaces.js';
import type { ProcessFacts } from '../linux/process-facts.js';
import { CAP_SETS } from '../linux/process-status.js';
import { findingJson } from './json.js';
import { jsonText, plain } from './sanitize.js';

export interface ContainerRef {
  readonly name: string;
  readonly id: string;
  readonly image: string;
}

/** The JSON contract of `bulkhead inspect --format json` (issue 5): these keys, in this shape. */
export function renderInspectJson(f: ProcessFacts, container?: ContainerRef, findings?: readonly Finding[]): string {
  const doc = {
    pid: f.pid,
    ...(container ? { container } : {}),
    namespaces: f.namespaces,
    capabilities: f.capabilities,
    noNewPrivs: f.noNewPrivs,
    seccomp: f.seccomp,
    apparmor: f.apparmor,
    selinux: f.selinux,
    cgroups: f.cgroups,
    network: f.network,
    mounts: f.mounts,
    ...(findings ? { findings: findings.map(findingJson) } : {}),
    notes: f.notes,
  };
  return jsonText(doc, 2) + '\n';
}

/** A table per part; the lines that weaken isolation in red with the reason. Untrusted text (names, paths, labels) is stripped of control sequences. */
export function renderInspectText(f: ProcessFacts, risks: readonly Risk[], container: ContainerRef | undefined, findings: readonly Finding[] | undefined, color: boolean): string {
  const c = pc.createColors(color);
  const riskAt = (key: string) => risks.filter((r) => r.key === key);
  const out: string[] = [];
  const row = (label: string, value: string, key?: string) => {
    const found = key ? riskAt(key) : [];
    const text = `  ${label.padEnd(14)} ${value}`;
    out.push(found.length ? `${c.red(text)}  ${c.red(c.bold(`! ${found.map((r) => r.message).join('; ')}`))}` : text);
  };
  const none = c.dim('-');
  out.push(c.bold(container ? `container ${plain(container.name)} ${c.dim(container.id.slice(0, 12))} image ${plain(container.image)}, PID ${f.pid}` : `PID ${f.pid}`));
  if (risks.length === 0 && NAMESPACE_TYPES.every((t) => f.namespaces[t]?.sharedWithHost !== false) && !container) {
    out.push(c.dim('  in every namespace of the host: not isolated (a host process)'));
  }

  out.push('', c.bold('namespaces'));
  for (const t of NAMESPACE_TYPES) {
    const ns = f.namespaces[t];
    if (!ns) {
      row(t, none);
      continue;
    }
    const where = ns.sharedWithHost === null ? 'not compared' : ns.sharedWithHost ? 'shared with host' : 'own';
    let extra = '';
    if (t === 'user' && 'uidMap' in ns) {
      const map = (m: typeof ns.uidMap) => (m === null ? '?' : m.map((x) => `${x.inside} ${x.outside} ${x.count}`).join(', ') || 'empty');
      extra = `  uid map ${map(ns.uidMap)}; gid map ${map(ns.gidMap)}`;
    }
    row(t, `${String(ns.inode).padEnd(11)} ${where}${extra}`, `namespaces.${t}`);
  }

  out.push('', c.bold('capabilities'));
  if (f.capabilities) {
    for (const s of CAP_SETS) row(s, f.capabilities[s].join(', ') || none);
    row('beyond default', f.capabilities.beyondDockerDefault.join(', ') || none, 'capabilities');
  } else row('sets', none);

  out.push('', c.bold('security'));
  row('no_new_privs', f.noNewPrivs === null ? none : f.noNewPrivs ? 'yes' : 'no');
  row('seccomp', f.seccomp ?? none, 'seccomp');
  row('apparmor', f.apparmor === null ? none : plain(f.apparmor), 'apparmor');
  row('selinux', f.selinux === null ? none : plain(f.selinux));

  out.push('', c.bold('cgroups'));
  if (f.cgroups) {
    const g = f.cgroups;
    if (g.v2 !== null) row('v2', plain(g.v2));
    for (const e of g.v1) row(e.controllers.join(','), plain(e.path));
    const l = g.limits;
    row('cpus', l.cpus ?? none);
    row('mems', l.mems ?? none);
    row('memory', limitText(l.memoryBytes, (n) => bytes(n)), 'cgroups.memory');
    row('pids', limitText(l.pidsMax, String), 'cgroups.pids');
    const quota = l.cpuQuota === null ? none : l.cpuQuota === 'max' ? 'no quota' : `${l.cpuQuota.quotaUs} µs per ${l.cpuQuota.periodUs} µs (${(l.cpuQuota.quotaUs / l.cpuQuota.periodUs).toFixed(2)} CPUs)`;
    row('cpu', [l.cpuShares !== null ? `shares ${l.cpuShares}` : '', l.cpuWeight !== null ? `weight ${l.cpuWeight}` : '', `quota ${quota}`].filter(Boolean).join(', '));
  } else row('membership', none);

  out.push('', c.bold('network'));
  if (f.network) {
    for (const i of f.network.interfaces) row(plain(i.name), i.addresses.join(', ') || c.dim('no address'));
    for (const r of f.network.routes) row('route', `${r.destination}${r.gateway ? ` via ${r.gateway}` : ''} dev ${plain(r.interface)}`);
  } else row('interfaces', none);

  out.push('', c.bold('mounts of note'));
  if (f.mounts === null) row('mounts', none);
  else if (f.namespaces.mnt?.sharedWithHost) out.push(c.dim('  the host\'s mount namespace: every host file is seen'));
  else if (f.mounts.length === 0) out.push(c.dim('  none'));
  for (const [i, m] of (f.mounts ?? []).entries()) {
    row(plain(m.mountPoint), `${plain(m.source)} (${plain(m.fsType)}, ${m.writable ? 'rw' : 'ro'}, ${m.propagation})`, `mounts[${i}]`);
  }

  if (findings) {
    out.push('', c.bold('findings of the live audit'));
    if (findings.length === 0) out.push(c.green('  none'));
    for (const x of findings) out.push(`  ${x.severity.toUpperCase().padEnd(8)} ${x.rule.id} ${x.rule.name}: ${plain(x.message)}`);
  }
  if (f.notes.length) {
    out.push('');
    for (const n of f.notes) out.push(c.yellow(`note: ${plain(n)}`));
  }
  return out.join('\n') + '\n';
}

function limitText(l: Limit, show: (n: number) => string): string {
  return l === null ? '-' : l === 'max' ? 'no limit' : show(l);
}

function bytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1 && v % 1024 === 0) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} B` : `${v} ${units[u]} (${n} B)`;
}
