/**
 * bane's TOML profile format, read as bane reads it (Go's BurntSushi toml:
 * keys match the struct fields case-insensitively), and checked harder: a key
 * neither bane nor bulkhead knows is an error, not ignored, since a typo such
 * as `ReadonlyPaths` silently dropped would weaken the profile.
 */
import { parse, TomlError } from 'smol-toml';
import { InputError } from '../../core/errors.js';
import { capabilityNamed, type CapName } from '../../linux/capabilities.js';
import { KeyLines } from './key-lines.js';
import { profilePath, type ProfilePath } from './profile-path.js';
import { quoted } from '../../reporters/sanitize.js';
import {
  INET6_PROTOCOLS, INET_PROTOCOLS,
  type CapabilityRules, type Inet6Protocol, type NetworkRules, type PeerName, type ProfileName, type ProfileSpec,
} from './spec.js';

export interface ParsedProfile {
  readonly spec: ProfileSpec;
  /** What bane does silently that the user should know (one line each). */
  readonly warnings: readonly string[];
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const PEER = /^[A-Za-z0-9][A-Za-z0-9_.+-]*$/;
const MAX_NAME = 200;

/** The keys of each table, as bane's struct fields (plus ours) spell them. */
const TOP = ['Name', 'Filesystem', 'Capabilities', 'Network', 'Ptrace', 'Signal'] as const;
const FILESYSTEM = ['ReadOnlyPaths', 'LogOnWritePaths', 'WritablePaths', 'AllowExec', 'DenyExec'] as const;
const CAPABILITIES = ['Allow', 'Deny'] as const;
const NETWORK = ['Raw', 'Packet', 'Protocols', 'Inet6'] as const;
const PEERS = ['Peers'] as const;

type Table = Record<string, unknown>;

/** Parses and checks a bane TOML file; every error is an InputError `FILE:LINE: why`. */
export function parseBaneToml(text: string, file: string): ParsedProfile {
  let doc: Table;
  try {
    doc = parse(text) as Table;
  } catch (e) {
    if (e instanceof TomlError) {
      const first = e.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '');
      throw new InputError(`${file}:${e.line}:${e.column}: ${first}`);
    }
    throw e;
  }
  return new Reader(text, file).profile(doc);
}

class Reader {
  private readonly lines: KeyLines;
  private readonly warnings: string[] = [];

  constructor(text: string, private readonly file: string) {
    this.lines = new KeyLines(text);
  }

  profile(doc: Table): ParsedProfile {
    const top = this.fields(doc, TOP, []);
    const name = this.name(top.Name);
    const fs = this.section(top.Filesystem, FILESYSTEM);
    const caps = this.section(top.Capabilities, CAPABILITIES);
    const net = this.section(top.Network, NETWORK);
    const ptrace = this.section(top.Ptrace, PEERS);
    const signal = this.section(top.Signal, PEERS);
    const spec: ProfileSpec = {
      name,
      readOnlyPaths: this.paths(fs.ReadOnlyPaths),
      logOnWritePaths: this.paths(fs.LogOnWritePaths),
      writablePaths: this.paths(fs.WritablePaths),
      allowExec: this.paths(fs.AllowExec),
      denyExec: this.paths(fs.DenyExec),
      capabilities: this.capabilities(caps.Allow, caps.Deny),
      network: this.network(net.Raw, net.Packet, net.Protocols, net.Inet6),
      ptracePeers: this.peers(ptrace.Peers),
      signalPeers: this.peers(signal.Peers),
    };
    return { spec, warnings: this.warnings };
  }

  /**
   * The known keys of a table, matched as BurntSushi matches them (ignoring
   * case). Unknown keys and one key written twice in different cases are errors.
   */
  private fields<K extends string>(t: Table, known: readonly K[], where: readonly string[]): Partial<Record<K, Field>> {
    const out: Partial<Record<K, Field>> = {};
    for (const key of Object.keys(t)) {
      const path = [...where, key];
      const canonical = known.find((k) => k.toLowerCase() === key.toLowerCase());
      if (canonical === undefined) {
        const hint = where.length === 0 && /^(inner)?imports$/i.test(key)
          ? ' (bane fills it in itself; bulkhead adds no includes from a file)'
          : ` (${where.length ? `[${where.join('.')}]` : 'the top level'} knows ${known.join(', ')})`;
        throw this.error(path, `unknown key ${JSON.stringify(key)}${hint}`);
      }
      if (out[canonical]) throw this.error(path, `${canonical} is given twice (${out[canonical]!.key} and ${key}; keys match without regard to case)`);
      out[canonical] = { key, path, value: t[key] };
    }
    return out;
  }

  /** The known keys of a table such as [Filesystem]; an absent table has none. */
  private section<K extends string>(field: Field | undefined, known: readonly K[]): Partial<Record<K, Field>> {
    if (field === undefined) return {};
    if (!isTable(field.value)) throw this.error(field.path, `${field.key} must be a table ([${field.key}]), not ${kind(field.value)}`);
    return this.fields(field.value, known, field.path);
  }

  private name(field: Field | undefined): ProfileName {
    if (field === undefined) throw this.error([], 'no Name: give the profile a name, e.g. Name = "nginx" (it becomes docker-nginx)');
    const v = field.value;
    if (typeof v !== 'string') throw this.error(field.path, `Name must be a string, not ${kind(v)}`);
    if (!NAME.test(v) || v.length > MAX_NAME) {
      throw this.error(field.path, `Name ${show(v)} must be letters, digits, '.', '_' and '-' (not first), at most ${MAX_NAME}: it names the profile and its file`);
    }
    return (v.startsWith('docker-') ? v : `docker-${v}`) as ProfileName;
  }

  private strings(field: Field | undefined): { value: string; line: () => number }[] {
    if (field === undefined) return [];
    const v = field.value;
    if (!Array.isArray(v)) throw this.error(field.path, `${field.key} must be a list of strings, e.g. ${field.key} = ["…"], not ${kind(v)}`);
    return v.map((item, i) => {
      if (typeof item !== 'string') throw this.error(field.path, `${field.key}[${i}] must be a string, not ${kind(item)}`);
      return { value: item, line: () => this.lines.elementLine(field.path, item) };
    });
  }

  private paths(field: Field | undefined): ProfilePath[] {
    return this.strings(field).map(({ value, line }) => {
      const r = profilePath(value);
      if (!r.ok) throw this.at(line(), `${field!.key}: ${show(value)} refused: ${r.why}`);
      return r.path;
    });
  }

  private capabilities(allow: Field | undefined, deny: Field | undefined): CapabilityRules {
    const names = (field: Field | undefined): CapName[] => unique(this.strings(field).map(({ value, line }) => {
      const cap = capabilityNamed(value);
      if (!cap || value.trim() !== value) throw this.at(line(), `${field!.key}: unknown capability ${show(value)} (run \`bulkhead caps list\` for all of them)`);
      return cap;
    }));
    const allowed = names(allow);
    const denied = names(deny);
    if (denied.length) {
      if (allowed.length) this.warnings.push(`${this.file}:${this.lines.line(allow!.path)}: [Capabilities] Allow is ignored because Deny is given: every capability but those in Deny is allowed (as bane does)`);
      return { kind: 'deny', names: denied };
    }
    return allowed.length ? { kind: 'allow', names: allowed } : { kind: 'none' };
  }

  private network(raw: Field | undefined, packet: Field | undefined, protocols: Field | undefined, inet6: Field | undefined): NetworkRules {
    const flag = (field: Field | undefined): boolean => {
      if (field === undefined) return false;
      if (typeof field.value !== 'boolean') throw this.error(field.path, `${field.key} must be true or false, not ${kind(field.value)}`);
      return field.value;
    };
    const inet = unique(this.protocols(protocols, INET_PROTOCOLS));
    let v6: Inet6Protocol[] = [];
    if (inet6 !== undefined && typeof inet6.value === 'boolean') {
      v6 = inet6.value ? (inet.filter((p) => p !== 'icmp') as Inet6Protocol[]) : [];
      if (inet6.value && inet.length && !v6.length) {
        this.warnings.push(`${this.file}:${this.lines.line(inet6.path)}: ${inet6.key} = true adds nothing: icmp is the only protocol, and AppArmor has no inet6 icmp (ICMPv6 goes over inet6 raw or dgram)`);
      }
    } else if (inet6 !== undefined) {
      if (!Array.isArray(inet6.value)) throw this.error(inet6.path, `${inet6.key} must be true, false or a list of protocols, not ${kind(inet6.value)}`);
      v6 = unique(this.protocols(inet6, INET6_PROTOCOLS));
    }
    if (inet6 !== undefined && inet6.value !== false && !inet.length) {
      throw this.error(inet6.path, `${inet6.key} limits IPv6 as Protocols limits IPv4, but without Protocols the profile allows every network family (network,): give Protocols too`);
    }
    const base = { raw: flag(raw), packet: flag(packet) };
    return inet.length ? { kind: 'inet', ...base, inet, inet6: v6 } : { kind: 'all', ...base };
  }

  private protocols<P extends string>(field: Field | undefined, known: readonly P[]): P[] {
    return this.strings(field).map(({ value, line }) => {
      const p = value.toLowerCase() as P;
      if (!known.includes(p)) throw this.at(line(), `${field!.key}: unknown protocol ${show(value)} (known: ${known.join(', ')})`);
      return p;
    });
  }

  private peers(field: Field | undefined): PeerName[] {
    return unique(this.strings(field).map(({ value, line }) => {
      if (!PEER.test(value) || value.length > MAX_NAME) throw this.at(line(), `${field!.key}: ${show(value)} is not a profile name (letters, digits, '.', '_', '+', '-'; e.g. unconfined, docker-default)`);
      return value as PeerName;
    }));
  }

  private error(path: readonly string[], message: string): InputError {
    return this.at(this.lines.line(path), message);
  }

  private at(line: number, message: string): InputError {
    return new InputError(`${this.file}:${line}: ${message}`);
  }
}

/** A value with the key it was written under. */
interface Field {
  readonly key: string;
  readonly path: readonly string[];
  readonly value: unknown;
}

const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

function kind(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v instanceof Date) return 'a date';
  if (isTable(v)) return 'a table';
  if (typeof v === 'string') return `a string (${show(v)})`;
  return `${typeof v === 'bigint' || typeof v === 'number' ? 'a number' : typeof v === 'boolean' ? 'a boolean' : typeof v} (${String(v)})`;
}

/** A value quoted for a one-line message: escapes visible, long ones cut. */
function show(v: string): string {
  return quoted(v, { max: 60 });
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
