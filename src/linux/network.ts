import { endianness } from 'node:os';
import { MissingPart, type ProcessDir } from './proc-dir.js';

export interface NetworkInterface {
  readonly name: string;
  /** `10.1.1.2/24`, `fe80::1/64`. */
  readonly addresses: readonly string[];
}

export interface Route {
  /** `0.0.0.0/0`, `10.1.1.0/24`, `::/0`. */
  readonly destination: string;
  readonly gateway: string | null;
  readonly interface: string;
}

export interface NetworkView {
  readonly interfaces: readonly NetworkInterface[];
  readonly routes: readonly Route[];
}

/**
 * The process's network namespace as /proc/PID/net shows it, without
 * entering it: interfaces from net/dev, IPv4 addresses from net/fib_trie
 * (placed on an interface by the connected route that holds them), IPv6
 * addresses from net/if_inet6, routes from net/route and net/ipv6_route.
 * IPv6 parts are optional (a kernel booted with ipv6.disable=1 has none).
 */
export function readNetwork(dir: ProcessDir): NetworkView {
  const names = parseNetDev(dir.text('net/dev'));
  const routes4 = parseRoute(dir.text('net/route'));
  const local4 = parseFibTrieLocal(dir.text('net/fib_trie'));
  const inet6 = optional(dir, 'net/if_inet6');
  const routes6 = optional(dir, 'net/ipv6_route');
  const addresses = new Map<string, string[]>(names.map((n) => [n, []]));
  const add = (iface: string, addr: string) => {
    const list = addresses.get(iface) ?? [];
    if (!list.includes(addr)) list.push(addr);
    addresses.set(iface, list);
  };
  for (const a of local4) {
    const on = connectedRoute(routes4, a);
    if (on) add(on.iface, `${ipv4(a)}/${on.prefix}`);
    else if (a >>> 24 === 127) add('lo', `${ipv4(a)}/8`);
    else add('?', `${ipv4(a)}/32`); // a local address with no connected route (possible, rare)
  }
  for (const line of inet6?.split('\n') ?? []) {
    const f = line.trim().split(/\s+/);
    if (f.length === 6 && /^[0-9a-f]{32}$/.test(f[0]!)) add(f[5]!, `${ipv6(f[0]!)}/${parseInt(f[2]!, 16)}`);
  }
  const routes: Route[] = routes4.map((r) => ({
    destination: `${ipv4(r.destination)}/${r.prefix}`,
    gateway: r.gateway === 0 ? null : ipv4(r.gateway),
    interface: r.iface,
  }));
  for (const line of routes6?.split('\n') ?? []) {
    const f = line.trim().split(/\s+/);
    if (f.length !== 10 || f[9] === 'lo') continue; // lo: the kernel's local and unreachable entries
    const gateway = /^0+$/.test(f[4]!) ? null : ipv6(f[4]!);
    routes.push({ destination: `${ipv6(f[0]!)}/${parseInt(f[1]!, 16)}`, gateway, interface: f[9]! });
  }
  return { interfaces: [...addresses].map(([name, list]) => ({ name, addresses: list })), routes };
}

function optional(dir: ProcessDir, name: string): string | undefined {
  try {
    return dir.text(name);
  } catch (e) {
    if (e instanceof MissingPart && !dir.exists()) throw e;
    return undefined;
  }
}

export function parseNetDev(text: string): string[] {
  return text
    .split('\n')
    .slice(2)
    .map((l) => /^\s*([^:\s]+):/.exec(l)?.[1])
    .filter((n): n is string => n !== undefined);
}

interface Route4 {
  readonly iface: string;
  readonly destination: number;
  readonly gateway: number;
  readonly prefix: number;
  readonly mask: number;
}

/** /proc/net/route writes addresses as hex in the host's byte order. */
export function parseRoute(text: string): Route4[] {
  const out: Route4[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8 || !/^[0-9A-F]{8}$/i.test(f[1]!)) continue;
    const mask = hostOrder(f[7]!);
    out.push({ iface: f[0]!, destination: hostOrder(f[1]!), gateway: hostOrder(f[2]!), mask, prefix: popcount(mask) });
  }
  return out;
}

/** The addresses of this namespace: entries `/32 host LOCAL` under fib_trie's Local table. */
export function parseFibTrieLocal(text: string): number[] {
  const out = new Set<number>();
  let last: string | undefined;
  for (const line of text.split('\n')) {
    const leaf = /\|-- (\d+\.\d+\.\d+\.\d+)$/.exec(line);
    if (leaf) last = leaf[1];
    else if (last && /^\s*\/32 host LOCAL/.test(line)) out.add(ipv4Number(last));
  }
  return [...out];
}

function connectedRoute(routes: readonly Route4[], addr: number): Route4 | undefined {
  // The longest matching route without a gateway is the interface the address is on.
  return routes
    .filter((r) => r.gateway === 0 && r.prefix > 0 && ((addr & r.mask) >>> 0) === r.destination)
    .sort((a, b) => b.prefix - a.prefix)[0];
}

function hostOrder(hex: string): number {
  const n = parseInt(hex, 16) >>> 0;
  if (endianness() === 'BE') return n;
  return (((n & 0xff) << 24) | ((n & 0xff00) << 8) | ((n >>> 8) & 0xff00) | (n >>> 24)) >>> 0;
}

function popcount(n: number): number {
  let c = 0;
  for (let x = n >>> 0; x; x = (x & (x - 1)) >>> 0) c++;
  return c;
}

function ipv4Number(s: string): number {
  return s.split('.').reduce((a, b) => ((a << 8) | Number(b)) >>> 0, 0);
}

function ipv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff].join('.');
}

/** 32 hex digits → the short form (RFC 5952: the longest run of zero groups as ::). */
export function ipv6(hex: string): string {
  const groups = hex.match(/.{4}/g)!.map((g) => parseInt(g, 16).toString(16));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}
