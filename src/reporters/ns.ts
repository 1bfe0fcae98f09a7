import pc from 'picocolors';
import type { NamespaceEntry } from '../linux/namespace-map.js';
import type { NamespaceType } from '../linux/namespaces.js';
import { jsonText, plain } from './sanitize.js';

export interface NsReport {
  readonly namespaces: readonly NamespaceEntry[];
  /** Container id → the host's namespace types it is in. */
  readonly sharing: ReadonlyMap<string, readonly NamespaceType[]>;
  /** Container id → name, when the engine answered. */
  readonly names: ReadonlyMap<string, string>;
  readonly notes: readonly string[];
}

/** The namespaces Docker gives each container its own of by default: sharing one of these with the host is asked for (`--net=host`, `--pid=host`, ...). */
const ISOLATED_BY_DEFAULT: ReadonlySet<NamespaceType> = new Set(['ipc', 'mnt', 'net', 'pid', 'uts']);

function containerRef(id: string, names: ReadonlyMap<string, string>): { id: string; name: string | null } {
  return { id, name: names.get(id) ?? null };
}

/** The JSON shape of `bulkhead ns --format json`: these keys, in this order. */
export function renderNsJson(r: NsReport): string {
  const doc = {
    namespaces: r.namespaces.map((n) => ({
      type: n.type,
      inode: n.inode,
      host: n.host,
      processes: n.pids.length,
      pids: n.pids,
      command: n.command,
      containers: n.containerIds.map((id) => containerRef(id, r.names)),
      netns: n.netns,
    })),
    sharing: [...r.sharing].map(([id, types]) => ({ container: containerRef(id, r.names), types })),
    notes: r.notes,
  };
  return jsonText(doc, 2) + '\n';
}

const SHOWN_PIDS = 5;
const SHOWN_CONTAINERS = 2;

/** One table, lsns-like; container namespaces that are the host's in red. Commands and names are untrusted: stripped of control sequences. */
export function renderNsText(r: NsReport, color: boolean): string {
  const c = pc.createColors(color);
  const who = (id: string) => plain(r.names.get(id) ?? id.slice(0, 12));
  const rows = r.namespaces.map((n) => {
    const pids = n.pids.slice(0, SHOWN_PIDS).join(',') + (n.pids.length > SHOWN_PIDS ? ',…' : '');
    // The host's cgroup and user namespaces hold every container: a count, not a wall of names.
    const containers = n.containerIds.length > SHOWN_CONTAINERS ? [`${n.containerIds.length} containers`] : n.containerIds.map(who);
    const owner = [...n.netns.map((x) => `netns ${plain(x)}`), ...containers].join(' ');
    return {
      cells: [n.type, String(n.inode), n.host === null ? '?' : n.host ? 'host' : '-', String(n.pids.length), pids || '-', owner || '-', plain(n.command)],
      risky: n.host === true && n.containerIds.length > 0 && ISOLATED_BY_DEFAULT.has(n.type),
    };
  });
  const head = ['TYPE', 'INODE', 'HOST', 'NPROCS', 'PIDS', 'CONTAINER/NETNS', 'COMMAND'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((x) => (i < head.length - 1 ? x.cells[i]!.length : 0))));
  const line = (cells: readonly string[]) => cells.map((v, i) => (i < cells.length - 1 ? v.padEnd(widths[i]!) : v)).join('  ');
  const out = [c.bold(line(head))];
  for (const x of rows) out.push(x.risky ? c.red(line(x.cells)) : line(x.cells));

  out.push('', c.bold('containers in the host\'s namespaces'));
  if (r.sharing.size === 0) out.push(c.dim('  none'));
  for (const [id, types] of r.sharing) {
    const asked = types.filter((t) => ISOLATED_BY_DEFAULT.has(t));
    const text = `  ${who(id).padEnd(24)} ${types.join(', ')}`;
    out.push(asked.length ? `${c.red(text)}  ${c.red(c.bold(`! shares the host's ${asked.join(', ')}`))}` : text);
  }
  if (r.notes.length) {
    out.push('');
    for (const n of r.notes) out.push(c.yellow(`note: ${plain(n)}`));
  }
  return out.join('\n') + '\n';
}
