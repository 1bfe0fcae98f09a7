import { isAbsolute, join, resolve } from 'node:path';
import { InputError } from '../../core/errors.js';
import type { Container, Device, EnvVar, Healthcheck, Mount, MountType, PortBinding, RestartPolicy, Ulimit } from '../../model/container.js';
import { child } from '../../model/path.js';
import { absent, byDefault, type At, type Known, type Loc, type Value } from '../../model/value.js';
import { normalizeCap } from '../inspect/adapt.js';
import type { ScanIO } from '../scan-result.js';
import { loadYamlDocuments, type YamlDocument } from '../yaml/documents.js';
import { dockerfileRuntimeFacts, type DockerfileRuntimeFacts } from '../dockerfile/facts.js';
import { parseDotenv } from './dotenv.js';
import type { Lookup } from './interpolate.js';
import { booleanOf, bytesOf, isFilePath, longPort, numberOf, parseShortDevice, parseShortPort, parseShortVolume, portRange, shellWords, type ShortPort } from './syntax.js';
import { at, buildTree, composeFile, get, locateIn, scalar, text, where, type ComposeFile, type MapNode, type Node } from './tree.js';
import { quoted } from '../../reporters/sanitize.js';

/**
 * One service definition in the chain `extends` builds: the service itself
 * first, then the service it extends, and so on. A key is read from the first
 * layer that writes it (mappings merge key by key); sequences are appended
 * base first, entries with the same unique key (a volume's target, a port)
 * replacing the earlier one, as the Compose Specification's merge rules say.
 */
interface Layer {
  readonly node: MapNode;
  readonly inherited: boolean;
}

/** A value found in a layer. */
interface Found {
  readonly node: Node;
  readonly layer: Layer;
}

/** Where a synthetic path (a rule's `cap_add[2]`, a restart policy's `Name`) is really written. */
interface Alias {
  readonly src: ComposeFile;
  readonly path: string;
}

interface LoadedFile {
  readonly src: ComposeFile;
  readonly services: MapNode | undefined;
}

/** Runtime facts of a service's `build:` Dockerfile, and the `dockerfile_inline` node when the Dockerfile is written in the compose file. */
interface BuildFacts {
  readonly facts: DockerfileRuntimeFacts;
  readonly inline?: Found;
}

/** Longer chains of `extends` (or of `service:` namespace references) are not real configuration, and would cost quadratic time. */
const MAX_EXTENDS = 64;

/** The most port bindings one service gets; published ranges beyond that are not real configuration. */
const MAX_BINDINGS = 4096;

/** A compose project: the scanned file, the files its services extend, and the Dockerfiles they build. */
export class Project {
  private readonly layers = new Map<string, Layer[]>();
  private readonly files = new Map<string, LoadedFile>();
  private readonly dockerfiles = new Map<string, DockerfileRuntimeFacts | undefined>();

  constructor(
    readonly main: ComposeFile,
    readonly root: Node,
    readonly name: string,
    readonly io: ScanIO,
    readonly lookup: Lookup,
  ) {
    this.files.set(resolve(main.file), { src: main, services: servicesOf(root) });
  }

  containers(): Container[] {
    const services = servicesOf(this.root);
    if (!services) return [];
    const out: Container[] = [];
    for (const [name, node] of services.entries) {
      if (node.kind !== 'map') continue; // compose refuses a service that is not a mapping
      out.push(new ServiceReader(this, name, this.layersOf(name)!).container());
    }
    return out;
  }

  /** The layers of a service of the scanned file; undefined when there is no such service. */
  layersOf(name: string): Layer[] | undefined {
    const cached = this.layers.get(name);
    if (cached) return cached;
    const services = servicesOf(this.root);
    const node = services?.entries.get(name);
    if (!services || node?.kind !== 'map') return undefined;
    const layers = this.extend(node, services, this.main, [`${this.main.file}\0${name}`], [name]);
    this.layers.set(name, layers);
    return layers;
  }

  private extend(node: MapNode, services: MapNode, src: ComposeFile, seen: readonly string[], names: readonly string[]): Layer[] {
    const own: Layer = { node, inherited: false };
    const ext = at(node, ['extends']);
    if (!ext) return [own];
    const ref = ext.kind === 'map' ? text(get(ext, 'service')) : text(ext);
    if (!ref) throw new InputError(`${where(src, ext.path)}: extends needs the name of a service`);
    const fileNode = ext.kind === 'map' ? get(ext, 'file') : undefined;
    const file = text(fileNode);
    const base = file ? this.load(isAbsolute(file) ? file : join(src.dir, file), src, fileNode!.path) : { src, services };
    const key = `${base.src.file}\0${ref}`;
    if (seen.length > MAX_EXTENDS) throw new InputError(`${where(src, ext.path)}: extends: more than ${MAX_EXTENDS} services deep`);
    if (seen.includes(key)) throw new InputError(`${where(src, ext.path)}: extends cycle: ${[...names, ref].join(' -> ')}`);
    const baseNode = base.services?.entries.get(ref);
    if (baseNode?.kind !== 'map') throw new InputError(`${where(src, ext.path)}: extends: no service ${quoted(ref)} in ${base.src.file}`);
    const inherited = this.extend(baseNode, base.services!, base.src, [...seen, key], [...names, ref]);
    return [own, ...inherited.map((l) => ({ node: l.node, inherited: true }))];
  }

  /** Another compose file, read once per scan. */
  private load(path: string, from: ComposeFile, atPath: string): LoadedFile {
    const key = resolve(path);
    const cached = this.files.get(key);
    if (cached) return cached;
    const content = this.io.readText(path);
    if (content === undefined) throw new InputError(`${where(from, atPath)}: extends: cannot read ${path}`);
    const doc = loadYamlDocuments(content, path)[0];
    if (!doc) throw new InputError(`${where(from, atPath)}: extends: ${path} is empty`);
    const src = composeFile(doc, path, true);
    const loaded = { src, services: servicesOf(buildTree(doc.value, '', src, this.lookup)) };
    this.files.set(key, loaded);
    return loaded;
  }

  /**
   * A namespace mode (network_mode, pid, ipc) as the engine will see it:
   * `service:x` joins x's namespace, so it is the host's when x's is.
   */
  mode(service: string, key: string, seen: Set<string>): { mode: string; found: Found } | undefined {
    const layers = this.layersOf(service);
    const found = layers && first(layers, [key]);
    const mode = text(found?.node);
    if (!found || mode === undefined) return undefined;
    if (!mode.startsWith('service:')) return { mode, found };
    const target = mode.slice('service:'.length);
    if (!seen.has(target) && seen.size <= MAX_EXTENDS) {
      seen.add(target);
      if (this.mode(target, key, seen)?.mode === 'host') return { mode: 'host', found };
    }
    return { mode: `container:${target}`, found };
  }

  /** The engine's name of a project network: its `name:`, an external network's own name, else `<project>_<key>`. */
  networkName(key: string): string {
    return this.resourceName('networks', key);
  }

  volumeName(key: string): string {
    return this.resourceName('volumes', key);
  }

  private resourceName(kind: string, key: string): string {
    const def = at(this.root, [kind, key]);
    const name = text(get(def, 'name'));
    if (name) return name;
    const external = get(def, 'external');
    if (external?.kind === 'map') return text(get(external, 'name')) ?? key;
    if (booleanOf(scalar(external)) === true) return key;
    return `${this.name}_${key}`;
  }

  /** The runtime facts of a Dockerfile (`target` cuts it after that stage), read once per scan; undefined when it cannot be read. */
  dockerfile(path: string, target: string | undefined): DockerfileRuntimeFacts | undefined {
    const key = `${resolve(path)}\0${target ?? ''}`;
    if (this.dockerfiles.has(key)) return this.dockerfiles.get(key);
    const content = this.io.readText(path);
    const facts = content === undefined ? undefined : factsOf(untilStage(content, target), path);
    this.dockerfiles.set(key, facts);
    return facts;
  }
}

/**
 * A Dockerfile that cannot be parsed tells nothing about the image: the
 * compose file is still audited, and the Dockerfile's own scan reports it.
 */
function factsOf(content: string, file: string): DockerfileRuntimeFacts | undefined {
  try {
    return dockerfileRuntimeFacts(content, file);
  } catch (e) {
    if (e instanceof InputError) return undefined;
    throw e;
  }
}

function servicesOf(root: Node): MapNode | undefined {
  const services = get(root, 'services');
  return services?.kind === 'map' ? services : undefined;
}

function first(layers: readonly Layer[], keys: readonly string[]): Found | undefined {
  for (const layer of layers) {
    const node = at(layer.node, keys);
    if (node) return { node, layer };
  }
  return undefined;
}

/**
 * A Dockerfile read only up to the end of the stage `target` names, so its
 * last stage is the target (positions are unchanged: it is a prefix).
 */
function untilStage(content: string, target: string | undefined): string {
  if (!target) return content;
  const lines = content.split('\n');
  const from = /^\s*FROM\s/i;
  const named = lines.findIndex((l) => from.test(l) && new RegExp(`\\sAS\\s+${escapeRegExp(target)}\\s*$`, 'i').test(l.trimEnd()));
  if (named < 0) return content;
  const next = lines.findIndex((l, i) => i > named && from.test(l));
  return next < 0 ? content : lines.slice(0, next).join('\n');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Later entries with the same key replace earlier ones in place; entries without a key are kept. */
function unique<T>(entries: readonly T[], key: (e: T) => string | undefined): T[] {
  const out: T[] = [];
  const index = new Map<string, number>();
  for (const e of entries) {
    const k = key(e);
    const i = k === undefined ? undefined : index.get(k);
    if (i !== undefined) out[i] = e;
    else {
      if (k !== undefined) index.set(k, out.length);
      out.push(e);
    }
  }
  return out;
}

/**
 * A container's Source.locate: paths of the scanned file are placed there;
 * paths a rule derives from a value (`cap_add[1]`, a restart policy's `Name`)
 * where the entry is really written, in whichever file. It keeps only the
 * documents and the aliases, not the service's tree.
 */
function locator(aliases: ReadonlyMap<string, Alias>, doc: YamlDocument): (paths: readonly string[]) => ReadonlyMap<string, Loc> {
  return (paths) => {
    const out = new Map<string, Loc>();
    const direct: string[] = [];
    for (const p of paths) {
      const alias = aliases.get(p);
      if (!alias) direct.push(p);
      else {
        const loc = locateIn(alias.src, alias.path);
        if (loc) out.set(p, loc);
      }
    }
    for (const [p, loc] of doc.locate(direct)) out.set(p, loc);
    return out;
  };
}

const MOUNT_TYPES: readonly MountType[] = ['bind', 'volume', 'tmpfs', 'npipe', 'cluster', 'image'];

/** Reads one service into the model. */
class ServiceReader {
  private readonly path: string;
  private readonly aliases = new Map<string, Alias>();
  private buildFacts: BuildFacts | undefined | null = null;

  constructor(
    private readonly project: Project,
    private readonly name: string,
    private readonly layers: readonly Layer[],
  ) {
    this.path = child('services', name);
  }

  container(): Container {
    const ports = this.ports();
    const networking = this.networking();
    const security = this.securityOptions();
    return {
      subject: { kind: 'container', name: this.name },
      source: { kind: 'compose', file: this.project.main.file, locate: locator(this.aliases, this.project.main.doc) },
      image: this.image(),
      state: absent(child(this.path, 'state')),
      user: this.user(),
      privileged: this.boolean('privileged'),
      capAdd: this.capabilities('cap_add'),
      capDrop: this.capabilities('cap_drop'),
      ...security,
      ...networking,
      pidMode: this.namespace('pid'),
      ipcMode: this.namespace('ipc'),
      utsMode: this.namespace('uts'),
      usernsMode: this.namespace('userns_mode'),
      mounts: this.mounts(),
      ports,
      exposedPorts: this.exposedPorts(ports),
      devices: this.devices(),
      ulimits: this.ulimits(),
      memory: this.memory(),
      cpuShares: this.plainNumber('cpu_shares'),
      nanoCpus: this.nanoCpus(),
      cpuQuota: this.plainNumber('cpu_quota'),
      pidsLimit: this.pidsLimit(),
      readOnlyRootfs: this.boolean('read_only'),
      restartPolicy: this.restartPolicy(),
      cgroupParent: this.string('cgroup_parent'),
      healthcheck: this.healthcheck(),
      health: absent(child(this.path, 'health')),
      env: this.env(),
      entrypoint: this.command('entrypoint'),
      cmd: this.command('command'),
      processes: absent(child(this.path, 'processes')),
    };
  }

  // ---- positions ---------------------------------------------------------

  /** Values from another file carry their position: the scanned file's locator cannot place them. */
  private locOf(node: Node): Loc | undefined {
    return node.src.foreign ? locateIn(node.src, node.path) : undefined;
  }

  private value<T>(value: T, found: Found): Known<T> {
    const origin = found.layer.inherited ? 'inherited' : 'explicit';
    const loc = this.locOf(found.node);
    return loc ? { origin, value, path: found.node.path, loc } : { origin, value, path: found.node.path };
  }

  private element<T extends object>(fields: T, node: Node): T & At {
    const loc = this.locOf(node);
    return loc ? { ...fields, path: node.path, loc } : { ...fields, path: node.path };
  }

  private alias(path: string, node: { src: ComposeFile; path: string }): void {
    if (path !== node.path || node.src.foreign) this.aliases.set(path, { src: node.src, path: node.path });
  }

  // ---- reading layers ----------------------------------------------------

  private first(...keys: string[]): Found | undefined {
    return first(this.layers, keys);
  }

  /** A sequence key across the layers: items base first, and the nearest layer that writes it. */
  private sequence(key: string): { items: Found[]; owner: Found | undefined } {
    const items: Found[] = [];
    let owner: Found | undefined;
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const layer = this.layers[i]!;
      const node = at(layer.node, [key]);
      if (node?.kind !== 'seq') continue;
      owner = { node, layer };
      for (const item of node.items) items.push({ node: item, layer });
    }
    return { items, owner };
  }

  private boolean(key: string): Value<boolean> {
    const found = this.first(key);
    const v = booleanOf(scalar(found?.node));
    return found && v !== undefined ? this.value(v, found) : byDefault(false, child(this.path, key));
  }

  private string(key: string): Value<string> {
    const found = this.first(key);
    const v = text(found?.node);
    return found && v !== undefined ? this.value(v, found) : byDefault('', child(this.path, key));
  }

  private plainNumber(key: string): Value<number> {
    const found = this.first(key);
    const v = numberOf(scalar(found?.node));
    return found && v !== undefined ? this.value(v, found) : byDefault(0, child(this.path, key));
  }

  // ---- fields --------------------------------------------------------------

  private image(): Value<string> {
    const found = this.first('image');
    const v = text(found?.node);
    // A service that builds runs a local image (`image:` then only names the result): there is no reference to judge.
    if (this.first('build')) return absent(found?.node.path ?? child(this.path, 'image'));
    return found && v !== undefined ? this.value(v, found) : absent(child(this.path, 'image'));
  }

  private user(): Value<string> {
    const found = this.first('user');
    const v = text(found?.node);
    if (found && v !== undefined) return this.value(v, found);
    return this.fromDockerfile((f) => f.user) ?? byDefault('', child(this.path, 'user'));
  }

  /** A fact the service's Dockerfile states (its USER, HEALTHCHECK, EXPOSE), as inherited, where the Dockerfile says it (for `dockerfile_inline`, at that key). */
  private fromDockerfile<T>(pick: (f: DockerfileRuntimeFacts) => Value<T>): Known<T> | undefined {
    const build = this.build();
    if (!build) return undefined;
    const v = pick(build.facts);
    if (v.origin !== 'explicit' && v.origin !== 'inherited') return undefined;
    if (build.inline) {
      const loc = this.locOf(build.inline.node);
      const path = build.inline.node.path;
      return loc ? { origin: 'inherited', value: v.value, path, loc } : { origin: 'inherited', value: v.value, path };
    }
    return v.loc ? { origin: 'inherited', value: v.value, path: v.path, loc: v.loc } : { origin: 'inherited', value: v.value, path: v.path };
  }

  /** The Dockerfile `build:` names (context and dockerfile resolved from the file each is written in), or `dockerfile_inline`. */
  private build(): BuildFacts | undefined {
    if (this.buildFacts !== null) return this.buildFacts;
    this.buildFacts = undefined;
    let context: { dir: string; found: Found } | undefined;
    let dockerfile: Found | undefined;
    let inline: Found | undefined;
    let target: string | undefined;
    for (const layer of this.layers) {
      const build = at(layer.node, ['build']);
      if (!build) continue;
      if (build.kind === 'scalar') {
        context ??= text(build) === undefined ? undefined : { dir: text(build)!, found: { node: build, layer } };
        continue;
      }
      const ctx = at(build, ['context']);
      if (!context && text(ctx) !== undefined) context = { dir: text(ctx)!, found: { node: ctx!, layer } };
      const df = at(build, ['dockerfile']);
      if (!dockerfile && !inline && text(df) !== undefined) dockerfile = { node: df!, layer };
      const di = at(build, ['dockerfile_inline']);
      if (!dockerfile && !inline && text(di) !== undefined) inline = { node: di!, layer };
      target ??= text(at(build, ['target']));
    }
    if (!context && !dockerfile && !inline) return undefined;
    if (inline) {
      const facts = factsOf(untilStage(text(inline.node)!, target), inline.node.src.file);
      this.buildFacts = facts && { facts, inline };
      return this.buildFacts;
    }
    const ctxDir = context?.dir ?? '.';
    // A remote context (git, https) cannot be read here.
    if (/^[a-z][a-z0-9+.-]*:\/\/|^git@|^github\.com\//i.test(ctxDir)) return undefined;
    const base = context ? context.found.node.src.dir : (dockerfile ?? inline)!.node.src.dir;
    const contextPath = isAbsolute(ctxDir) ? ctxDir : join(base, ctxDir);
    const name = text(dockerfile?.node) ?? 'Dockerfile';
    const facts = this.project.dockerfile(isAbsolute(name) ? name : join(contextPath, name), target);
    this.buildFacts = facts ? { facts } : undefined;
    return this.buildFacts;
  }

  private capabilities(key: 'cap_add' | 'cap_drop'): Value<readonly string[]> {
    const { items, owner } = this.sequence(key);
    if (!owner) return byDefault([], child(this.path, key));
    const caps = unique(
      items.flatMap((f) => {
        const t = text(f.node);
        return t ? [{ cap: normalizeCap(t), f }] : [];
      }),
      (e) => e.cap,
    );
    const v = this.value(
      caps.map((c) => c.cap),
      owner,
    );
    caps.forEach((c, i) => this.alias(child(v.path, i), c.f.node));
    return v;
  }

  /** security_opt as `docker run --security-opt` reads it (`key=value`, or the older `key:value`). */
  private securityOptions(): Pick<Container, 'apparmor' | 'seccomp' | 'selinux' | 'noNewPrivileges'> {
    const { items } = this.sequence('security_opt');
    const opts = items.flatMap((f) => {
      const t = text(f.node);
      if (t === undefined) return [];
      const m = /^([a-z-]+)[=:](.*)$/s.exec(t);
      return [m ? { key: m[1]!, value: m[2]!, f } : { key: t, value: '', f }];
    });
    const named = (key: string) => opts.filter((o) => o.key === key);
    const optPath = child(this.path, 'security_opt');

    const apparmorOpt = named('apparmor').at(-1);
    // Without an option the engine applies docker-default (on hosts with AppArmor).
    const apparmor = apparmorOpt ? this.value(apparmorOpt.value, apparmorOpt.f) : byDefault('docker-default', optPath);

    const seccompOpt = named('seccomp').at(-1);
    let seccomp: Value<'default' | 'unconfined' | 'custom'> = byDefault('default', optPath);
    if (seccompOpt) {
      const s = seccompOpt.value;
      seccomp = this.value(s === 'unconfined' ? 'unconfined' : s === '' || s === 'default' || s === 'builtin' ? 'default' : 'custom', seccompOpt.f);
    }

    const labels = named('label');
    const selinux: Value<readonly string[]> = labels.length
      ? this.value(
          labels.map((l) => l.value),
          labels[0]!.f,
        )
      : byDefault([], optPath);

    const nnpOpt = named('no-new-privileges').at(-1);
    const noNewPrivileges = nnpOpt ? this.value(nnpOpt.value === '' || booleanOf(nnpOpt.value) === true, nnpOpt.f) : byDefault(false, optPath);
    return { apparmor, seccomp, selinux, noNewPrivileges };
  }

  private networking(): Pick<Container, 'networkMode' | 'networks'> {
    const mode = this.project.mode(this.name, 'network_mode', new Set([this.name]));
    if (mode) {
      const networkMode = this.value(mode.mode, mode.found);
      const names = mode.mode.startsWith('container:') ? [] : [mode.mode];
      const networks = this.value(names, mode.found);
      for (const n of names) this.alias(child(networks.path, n), mode.found.node);
      return { networkMode, networks };
    }
    const entries: { name: string; node: { src: ComposeFile; path: string } }[] = [];
    let owner: Found | undefined;
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const layer = this.layers[i]!;
      const node = at(layer.node, ['networks']);
      if (node?.kind === 'seq') {
        owner = { node, layer };
        for (const item of node.items) {
          const key = text(item);
          if (key !== undefined) entries.push({ name: this.project.networkName(key), node: item });
        }
      } else if (node?.kind === 'map') {
        owner = { node, layer };
        for (const key of node.entries.keys()) entries.push({ name: this.project.networkName(key), node: { src: node.src, path: child(node.path, key) } });
      }
    }
    const attached = unique(entries, (e) => e.name);
    if (!owner || attached.length === 0) {
      const name = this.project.networkName('default');
      return { networkMode: byDefault(name, child(this.path, 'network_mode')), networks: byDefault([name], child(this.path, 'networks')) };
    }
    const networks = this.value(
      attached.map((e) => e.name),
      owner,
    );
    for (const e of attached) this.alias(child(networks.path, e.name), e.node);
    return { networkMode: byDefault(attached[0]!.name, child(this.path, 'network_mode')), networks };
  }

  private namespace(key: 'pid' | 'ipc' | 'uts' | 'userns_mode'): Value<string> {
    const mode = this.project.mode(this.name, key, new Set([this.name]));
    return mode ? this.value(mode.mode, mode.found) : byDefault('', child(this.path, key));
  }

  private mounts(): Value<readonly Mount[]> {
    const { items, owner } = this.sequence('volumes');
    if (!owner) return byDefault([], child(this.path, 'volumes'));
    const mounts = unique(
      items.flatMap((f) => {
        const m = this.mount(f.node);
        return m ? [m] : [];
      }),
      (m) => m.destination,
    );
    return this.value(mounts, owner);
  }

  private mount(node: Node): Mount | undefined {
    if (node.kind === 'scalar') {
      const v = typeof node.value === 'string' ? parseShortVolume(node.value) : undefined;
      if (!v) return undefined;
      const source = v.type === 'bind' ? this.hostPath(v.source, node.src) : v.source === '' ? '' : this.project.volumeName(v.source);
      return this.element({ type: v.type, source, destination: v.target, readOnly: v.readOnly, propagation: v.propagation }, node);
    }
    if (node.kind !== 'map') return undefined;
    const target = text(get(node, 'target'));
    if (!target) return undefined;
    const written = text(get(node, 'source')) ?? '';
    const declared = text(get(node, 'type'));
    const type: MountType = declared === undefined ? (isFilePath(written) ? 'bind' : 'volume') : (MOUNT_TYPES as readonly string[]).includes(declared) ? (declared as MountType) : 'unknown';
    const source = type === 'bind' ? this.hostPath(written, node.src) : type === 'volume' && written !== '' ? this.project.volumeName(written) : written;
    return this.element(
      {
        type,
        source,
        destination: target,
        readOnly: booleanOf(scalar(get(node, 'read_only'))) === true,
        propagation: type === 'bind' ? (text(at(node, ['bind', 'propagation'])) ?? '') : '',
      },
      node,
    );
  }

  /** A bind source on the host: `~` is $HOME, a relative path starts at the folder of the file it is written in. */
  private hostPath(source: string, src: ComposeFile): string {
    const home = this.project.io.env['HOME'];
    let p = source;
    if (home && (p === '~' || p.startsWith('~/'))) p = home + p.slice(1);
    if (p.startsWith('/') || p.startsWith('~') || p.startsWith('\\\\') || /^[A-Za-z]:[\\/]/.test(p)) return p;
    return resolve(src.dir, p);
  }

  private ports(): Value<readonly PortBinding[]> {
    const { items, owner } = this.sequence('ports');
    if (!owner) return byDefault([], child(this.path, 'ports'));
    const entries = unique(
      items.flatMap((f) => {
        const parsed = portEntry(f.node);
        return parsed ? [{ ...parsed, f }] : [];
      }),
      (e) => e.key,
    );
    const bindings: PortBinding[] = [];
    for (const e of entries) {
      for (const p of e.ports) {
        if (bindings.length >= MAX_BINDINGS) break;
        bindings.push(this.element({ containerPort: p.containerPort, protocol: p.protocol, hostIp: p.hostIp, hostPort: p.hostPort }, e.f.node));
      }
    }
    return this.value(bindings, owner);
  }

  /** `expose:`, the published ports' targets and the Dockerfile's EXPOSE, as `80/tcp`. */
  private exposedPorts(ports: Value<readonly PortBinding[]>): Value<readonly string[]> {
    const { items, owner } = this.sequence('expose');
    const fromDockerfile = this.fromDockerfile((f) => f.exposedPorts);
    const list = new Set<string>();
    for (const p of fromDockerfile?.value ?? []) list.add(p);
    for (const f of items) {
      const m = /^(\d{1,5}(?:-\d{1,5})?)(?:\/(tcp|udp|sctp))?$/i.exec(text(f.node)?.trim() ?? '');
      const range = m && portRange(m[1]!);
      if (!range) continue;
      for (let port = range[0]; port <= range[1] && list.size < MAX_BINDINGS; port++) list.add(`${port}/${(m[2] ?? 'tcp').toLowerCase()}`);
    }
    if (ports.origin !== 'absent') for (const b of ports.value) list.add(`${b.containerPort}/${b.protocol}`);
    const value = [...list];
    if (owner) return this.value(value, owner);
    if (ports.origin === 'explicit' || ports.origin === 'inherited') return { ...ports, value };
    if (fromDockerfile) return { ...fromDockerfile, value };
    return byDefault([], child(this.path, 'expose'));
  }

  private devices(): Value<readonly Device[]> {
    const { items, owner } = this.sequence('devices');
    if (!owner) return byDefault([], child(this.path, 'devices'));
    const devices = unique(
      items.flatMap((f) => {
        const d = deviceEntry(f.node);
        return d ? [this.element(d, f.node)] : [];
      }),
      (d) => d.pathInContainer,
    );
    return this.value(devices, owner);
  }

  private ulimits(): Value<readonly Ulimit[]> {
    const names: string[] = [];
    let owner: Found | undefined;
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const node = at(this.layers[i]!.node, ['ulimits']);
      if (node?.kind !== 'map') continue;
      owner = { node, layer: this.layers[i]! };
      for (const k of node.entries.keys()) if (!names.includes(k)) names.push(k);
    }
    if (!owner) return byDefault([], child(this.path, 'ulimits'));
    const ulimits: Ulimit[] = [];
    for (const name of names) {
      const found = this.first('ulimits', name);
      if (!found) continue;
      let soft: number | undefined;
      let hard: number | undefined;
      if (found.node.kind === 'map') {
        soft = numberOf(scalar(get(found.node, 'soft')));
        hard = numberOf(scalar(get(found.node, 'hard')));
      } else soft = hard = numberOf(scalar(found.node));
      soft ??= hard;
      hard ??= soft;
      if (soft === undefined || hard === undefined) continue;
      ulimits.push(this.element({ name, soft, hard }, found.node));
    }
    return this.value(ulimits, owner);
  }

  /** deploy.resources.limits.memory wins over mem_limit, as `docker compose up` applies them; 0 (or unparsable) limits nothing. */
  private memory(): Value<number> {
    return this.limit([this.first('deploy', 'resources', 'limits', 'memory'), this.first('mem_limit')], bytesOf, child(this.path, 'deploy', 'resources', 'limits', 'memory'));
  }

  private nanoCpus(): Value<number> {
    const nano = (v: unknown) => {
      const cpus = numberOf(v);
      return cpus === undefined ? undefined : Math.round(cpus * 1e9);
    };
    return this.limit([this.first('deploy', 'resources', 'limits', 'cpus'), this.first('cpus')], nano, child(this.path, 'deploy', 'resources', 'limits', 'cpus'));
  }

  private pidsLimit(): Value<number> {
    return this.limit([this.first('deploy', 'resources', 'limits', 'pids'), this.first('pids_limit')], numberOf, child(this.path, 'pids_limit'));
  }

  /** The first of the candidates that sets a positive limit; else 0 where one was written (it limits nothing), else the default. */
  private limit(candidates: readonly (Found | undefined)[], parse: (v: unknown) => number | undefined, defaultPath: string): Value<number> {
    let zero: Found | undefined;
    for (const found of candidates) {
      if (!found) continue;
      const n = parse(scalar(found.node));
      if (n === undefined) continue;
      if (n > 0) return this.value(n, found);
      zero ??= found;
    }
    return zero ? this.value(0, zero) : byDefault(0, defaultPath);
  }

  /** deploy.restart_policy wins over restart, as `docker compose up` applies them. */
  private restartPolicy(): Value<RestartPolicy> {
    const policy = this.first('deploy', 'restart_policy');
    if (policy?.node.kind === 'map') {
      const condition = get(policy.node, 'condition');
      const attempts = get(policy.node, 'max_attempts');
      const v = this.value({ name: restartName(text(condition) ?? ''), maximumRetryCount: numberOf(scalar(attempts)) ?? 0 }, policy);
      this.alias(child(v.path, 'Name'), condition ?? policy.node);
      this.alias(child(v.path, 'MaximumRetryCount'), attempts ?? policy.node);
      return v;
    }
    const restart = this.first('restart');
    const written = restart && (scalar(restart.node) === false ? 'no' : text(restart.node));
    if (!restart || written === undefined) return byDefault({ name: '', maximumRetryCount: 0 }, child(this.path, 'restart'));
    const [name = '', retries] = written.split(':');
    const v = this.value({ name: restartName(name), maximumRetryCount: numberOf(retries) ?? 0 }, restart);
    this.alias(child(v.path, 'Name'), restart.node);
    this.alias(child(v.path, 'MaximumRetryCount'), restart.node);
    return v;
  }

  private healthcheck(): Value<Healthcheck | undefined> {
    const disable = this.first('healthcheck', 'disable');
    if (disable && booleanOf(scalar(disable.node)) === true) return this.value<Healthcheck | undefined>({ test: ['NONE'] }, disable);
    const test = this.first('healthcheck', 'test');
    if (test) {
      const words = test.node.kind === 'seq' ? test.node.items.flatMap((n) => (text(n) === undefined ? [] : [text(n)!])) : text(test.node) ? ['CMD-SHELL', text(test.node)!] : [];
      if (words.length) return this.value<Healthcheck | undefined>({ test: words }, test);
    }
    return this.fromDockerfile((f) => f.healthcheck) ?? byDefault(undefined, child(this.path, 'healthcheck'));
  }

  /** env_file values, then `environment:` entries, later ones replacing earlier ones of the same name. */
  private env(): Value<readonly EnvVar[]> {
    const vars: EnvVar[] = [];
    let owner: Found | undefined;
    for (const f of this.envFiles()) {
      owner = f.owner;
      vars.push(...f.vars);
    }
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const layer = this.layers[i]!;
      const node = at(layer.node, ['environment']);
      if (node?.kind === 'seq') {
        owner = { node, layer };
        for (const item of node.items) {
          const t = text(item);
          if (t === undefined || t === '') continue;
          const eq = t.indexOf('=');
          vars.push(this.element({ name: eq < 0 ? t : t.slice(0, eq), value: eq < 0 ? undefined : t.slice(eq + 1), fromSecret: false }, item));
        }
      } else if (node?.kind === 'map') {
        owner = { node, layer };
        for (const [name, item] of node.entries) vars.push(this.element({ name, value: text(item), fromSecret: false }, item));
      }
    }
    if (!owner) return byDefault([], child(this.path, 'environment'));
    return this.value(
      unique(vars, (v) => v.name),
      owner,
    );
  }

  /** The env_file entries (a path, or `{path, required}`), read relative to the file each is written in. A file that cannot be found adds nothing. */
  private envFiles(): { owner: Found; vars: EnvVar[] }[] {
    const entries: { node: Node; layer: Layer; file: string }[] = [];
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const layer = this.layers[i]!;
      const node = at(layer.node, ['env_file']);
      const list = node?.kind === 'seq' ? node.items : node ? [node] : [];
      for (const item of list) {
        const file = item.kind === 'map' ? text(get(item, 'path')) : text(item);
        if (file) entries.push({ node: item, layer, file: isAbsolute(file) ? file : join(item.src.dir, file) });
      }
    }
    return unique(entries, (e) => resolve(e.file)).flatMap((e) => {
      const content = this.project.io.readText(e.file);
      if (content === undefined) return [];
      const vars = parseDotenv(content, this.project.lookup).map(
        (d): EnvVar => ({
          name: d.name,
          value: d.value,
          fromSecret: false,
          path: child(e.node.path, d.name),
          loc: { file: e.file, line: d.line, column: d.column, endLine: d.line, endColumn: d.column + d.name.length },
        }),
      );
      return [{ owner: { node: e.node, layer: e.layer }, vars }];
    });
  }

  private command(key: 'entrypoint' | 'command'): Value<readonly string[]> {
    const found = this.first(key);
    if (!found) return byDefault([], child(this.path, key));
    if (found.node.kind === 'seq') return this.value(found.node.items.flatMap((n) => (text(n) === undefined ? [] : [text(n)!])), found);
    const t = text(found.node);
    return t === undefined ? byDefault([], child(this.path, key)) : this.value(shellWords(t), found);
  }
}

/** compose's restart words and deploy.restart_policy conditions, as engine policy names. */
function restartName(condition: string): string {
  switch (condition) {
    case 'none':
    case 'no':
      return 'no';
    case 'any':
    case 'always':
      return 'always';
    default:
      return condition;
  }
}

/** A `ports:` entry: its bindings, and the key compose merges entries by. */
function portEntry(node: Node): { key: string; ports: ShortPort[] } | undefined {
  if (node.kind === 'scalar') {
    const t = text(node);
    const ports = t === undefined ? undefined : parseShortPort(t.trim());
    return ports && { key: t!, ports };
  }
  if (node.kind !== 'map') return undefined;
  const target = numberOf(scalar(get(node, 'target')));
  const published = text(get(node, 'published'));
  const hostIp = text(get(node, 'host_ip')) ?? '';
  const protocol = text(get(node, 'protocol')) ?? 'tcp';
  const ports = target === undefined ? undefined : longPort(target, published, hostIp, protocol);
  return ports && { key: `${hostIp || '0.0.0.0'}:${published ?? ''}:${target}/${protocol}`, ports };
}

/** A `devices:` entry: `/dev/x[:/dev/y][:rwm]`, or `{source, target, permissions}`. */
function deviceEntry(node: Node): Omit<Device, 'path' | 'loc'> | undefined {
  if (node.kind === 'scalar') {
    const t = text(node);
    return t === undefined ? undefined : parseShortDevice(t);
  }
  if (node.kind !== 'map') return undefined;
  const source = text(get(node, 'source'));
  if (!source) return undefined;
  return { pathOnHost: source, pathInContainer: text(get(node, 'target')) ?? source, permissions: text(get(node, 'permissions')) ?? 'rwm' };
}
