/**
 * The short syntaxes of compose values, parsed as compose-go and the Docker
 * CLI parse them. Each parser returns undefined for text it cannot read, so
 * the adapter can treat it as not written.
 */

/** `[SOURCE:]TARGET[:OPTIONS]` of a service's `volumes:` entry. */
export interface ShortVolume {
  readonly type: 'bind' | 'volume';
  /** '' for an anonymous volume. */
  readonly source: string;
  readonly target: string;
  readonly readOnly: boolean;
  /** '' when unset. */
  readonly propagation: string;
}

const PROPAGATIONS = new Set(['rprivate', 'private', 'rshared', 'shared', 'rslave', 'slave']);

export function parseShortVolume(spec: string): ShortVolume | undefined {
  if (spec === '') return undefined;
  // Split on ':' but keep a Windows drive letter (`C:\data:/data`) with its path.
  const drive = /^[A-Za-z]:[\\/][^:]*:/.test(spec) ? 2 : 0;
  const parts = spec.slice(drive).split(':');
  parts[0] = spec.slice(0, drive) + parts[0];
  if (parts.length > 3 || parts.some((p) => p === '')) return undefined;
  let [source, target, options] = parts as [string, string | undefined, string | undefined];
  if (target === undefined) [source, target] = ['', source];
  let readOnly = false;
  let propagation = '';
  for (const option of (options ?? '').split(',')) {
    if (option === 'ro') readOnly = true;
    else if (option === 'rw') readOnly = false;
    else if (PROPAGATIONS.has(option)) propagation = option;
  }
  return { type: isFilePath(source) ? 'bind' : 'volume', source, target, readOnly, propagation };
}

/** compose-go's test: a source that is a path (not a volume name). */
export function isFilePath(source: string): boolean {
  if (source === '') return false;
  if (source[0] === '.' || source[0] === '/' || source[0] === '~') return true;
  return source.startsWith('\\\\') || /^[A-Za-z]:[\\/]/.test(source);
}

/** One published port; `hostPort` undefined when the engine picks one. */
export interface ShortPort {
  readonly hostIp: string;
  readonly hostPort: number | undefined;
  readonly containerPort: number;
  readonly protocol: string;
}

const PROTOCOLS = new Set(['tcp', 'udp', 'sctp']);

/** More ports than this from one entry are not expanded (a `1-65535` range is not a real configuration). */
export const MAX_RANGE = 1024;

/**
 * `[[IP:]HOST_PORT:]CONTAINER_PORT[/PROTOCOL]` with ranges on either side and
 * IPv6 addresses in brackets (`[::1]:8080:80`), as the Docker CLI's
 * ParsePortSpec reads it.
 */
export function parseShortPort(spec: string): ShortPort[] | undefined {
  const parts = spec.split(':');
  const n = parts.length;
  const last = parts[n - 1]!;
  let ip = n > 2 ? parts.slice(0, n - 2).join(':') : '';
  const host = n > 1 ? parts[n - 2]! : '';
  const slash = last.indexOf('/');
  const protocol = slash < 0 ? 'tcp' : last.slice(slash + 1).toLowerCase();
  if (!PROTOCOLS.has(protocol)) return undefined;
  if (ip.startsWith('[')) {
    if (!ip.endsWith(']')) return undefined;
    ip = ip.slice(1, -1);
  }
  if (ip !== '' && !isIp(ip)) return undefined;
  const target = portRange(slash < 0 ? last : last.slice(0, slash));
  if (!target) return undefined;
  const published = host === '' ? undefined : portRange(host);
  if (host !== '' && !published) return undefined;
  return expand(ip, published, target, protocol);
}

/** A long-syntax `ports:` entry: target, published (a port, a range or none), host_ip, protocol. */
export function longPort(target: number, published: string | undefined, hostIp: string, protocol: string): ShortPort[] | undefined {
  if (!Number.isInteger(target) || target < 0 || target > 65535) return undefined;
  const proto = protocol.toLowerCase() || 'tcp';
  if (!PROTOCOLS.has(proto)) return undefined;
  const range = published === undefined || published === '' ? undefined : portRange(published);
  if (published !== undefined && published !== '' && !range) return undefined;
  let ip = hostIp;
  if (ip.startsWith('[') && ip.endsWith(']')) ip = ip.slice(1, -1);
  return expand(ip, range, [target, target], proto);
}

function expand(hostIp: string, published: [number, number] | undefined, target: [number, number], protocol: string): ShortPort[] | undefined {
  const [start, end] = target;
  if (published && published[1] - published[0] !== end - start && start !== end) return undefined;
  const ports: ShortPort[] = [];
  for (let i = 0; i <= Math.min(end - start, MAX_RANGE - 1); i++) {
    // A host range with one container port is the range the engine picks from: its first port is the lowest it may bind.
    const hostPort = published === undefined ? undefined : start === end ? published[0] : published[0] + i;
    ports.push({ hostIp, hostPort: hostPort === 0 ? undefined : hostPort, containerPort: start + i, protocol });
  }
  return ports;
}

/** `80` or `8000-8010`. */
export function portRange(text: string): [number, number] | undefined {
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text.trim());
  if (!m) return undefined;
  const start = Number(m[1]);
  const end = m[2] === undefined ? start : Number(m[2]);
  if (start > 65535 || end > 65535 || end < start) return undefined;
  return [start, end];
}

function isIp(text: string): boolean {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) return text.split('.').every((o) => Number(o) <= 255);
  return text.includes(':') && /^[0-9A-Fa-f:.]+(%[\w.-]+)?$/.test(text);
}

/** `/dev/x[:/dev/y][:rwm]`, as the Docker CLI's ParseDevice reads it (permissions default to rwm). */
export function parseShortDevice(spec: string): { pathOnHost: string; pathInContainer: string; permissions: string } | undefined {
  const parts = spec.split(':');
  const isPermissions = (p: string) => /^[rwm]{1,3}$/.test(p);
  let [src, dst, perm] = parts as [string, string | undefined, string | undefined];
  if (parts.length > 3 || src === '') return undefined;
  if (parts.length === 2 && isPermissions(dst!)) [dst, perm] = [undefined, dst];
  if (perm !== undefined && !isPermissions(perm)) return undefined;
  return { pathOnHost: src, pathInContainer: dst || src, permissions: perm ?? 'rwm' };
}

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/** Memory in bytes: a number of bytes, or `512m`, `1g`, `1.5G`, `256MiB`, `100kb` (binary units, as docker/go-units RAMInBytes). */
export function bytesOf(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : undefined;
  if (typeof v !== 'string') return undefined;
  const m = /^(\d+(?:\.\d+)*) ?([kKmMgGtTpPbB])?[iI]?[bB]?$/.exec(v.trim());
  if (!m) return undefined;
  const unit = UNITS[(m[2] ?? '').toLowerCase()];
  const n = Number.parseFloat(m[1]!);
  return unit === undefined || !Number.isFinite(n) ? undefined : Math.trunc(n * unit);
}

/** A number written as a YAML number or a string (`"1.5"`). */
export function numberOf(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && /^\s*-?(\d+(\.\d*)?|\.\d+)\s*$/.test(v)) return Number.parseFloat(v);
  return undefined;
}

/** compose-go's boolean casting: YAML booleans, and true/false/yes/no/on/off/y/n as strings. */
export function booleanOf(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v !== 'string') return undefined;
  const s = v.trim().toLowerCase();
  if (s === 'true' || s === 'yes' || s === 'y' || s === 'on') return true;
  if (s === 'false' || s === 'no' || s === 'n' || s === 'off') return false;
  return undefined;
}

/**
 * Splits a command written as a string into words as compose does
 * (shell-words rules: quotes and backslashes, no variables, no shell).
 */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (ch === "'") {
      const end = text.indexOf("'", i + 1);
      const stop = end < 0 ? text.length : end;
      word += text.slice(i + 1, stop);
      i = stop;
      inWord = true;
    } else if (ch === '"') {
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\' && j + 1 < text.length && '"\\$`'.includes(text[j + 1]!)) j++;
        word += text[j];
      }
      i = j;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}
