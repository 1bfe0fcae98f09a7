import type { Build, Instruction, Stage } from '../../model/build.js';
import { finalStage, stageChain } from '../../model/build.js';
import { unknownUntilRun, type Container, type EnvVar, type Healthcheck, type Source } from '../../model/container.js';
import { absent, type Known, type Loc, type Value } from '../../model/value.js';

/**
 * The runtime facts a Dockerfile knows, as a Container: what the image it
 * builds (its last stage) will run as. Settings are inherited along FROM
 * chains of stages (`FROM builder`), so a USER in a stage the final one
 * builds FROM counts ('inherited'); one in a builder stage whose files are
 * only copied does not. What the Dockerfile does not say is the base image's
 * ('default', placed at the final FROM: "the final stage sets no USER").
 * What only `docker run` or an orchestrator decides is 'absent'.
 */
export function containerOf(build: Build, target?: Stage): Container {
  const final = target ?? finalStage(build)!;
  const chain = stageChain(build, final).reverse(); // root first
  const source: Source = { kind: 'dockerfile', file: build.file, locate: (paths) => locate(build, paths) };
  const at = { path: final.path, loc: final.loc! };

  /** The last instruction with the keyword along the chain, and its origin. */
  const last = (keyword: string): { ins: Instruction; origin: 'explicit' | 'inherited' } | undefined => {
    for (let i = chain.length - 1; i >= 0; i--) {
      const stage = chain[i]!;
      for (let j = stage.instructions.length - 1; j >= 0; j--) {
        const found = stage.instructions[j]!;
        if (found.keyword === keyword) return { ins: found, origin: stage === final ? 'explicit' : 'inherited' };
      }
    }
    return undefined;
  };
  const known = <T>(value: T, origin: Known<T>['origin'], path: string, loc: Loc | undefined): Known<T> => (loc ? { origin, value, path, loc } : { origin, value, path });
  const byDefault = <T>(value: T): Known<T> => known(value, 'default', at.path, at.loc);

  const user = last('USER');
  const health = last('HEALTHCHECK');
  const { entrypoint, cmd } = commandsOf(chain, final, known, byDefault);

  return {
    subject: build.subject,
    source,
    ...unknownUntilRun(),
    image: imageOf(chain, final, known),
    user: user ? known(user.ins.expanded ?? user.ins.args, user.origin, user.ins.path, user.ins.loc) : byDefault(''),
    exposedPorts: exposedPortsOf(chain, final, known, byDefault),
    healthcheck: health?.ins.healthcheck
      ? known<Healthcheck | undefined>(health.ins.healthcheck, health.origin, health.ins.path, health.ins.loc)
      : byDefault<Healthcheck | undefined>(undefined),
    env: envOf(chain, final, known, byDefault),
    entrypoint,
    cmd,
  };
}

type KnownOf = <T>(value: T, origin: Known<T>['origin'], path: string, loc: Loc | undefined) => Known<T>;
type DefaultOf = <T>(value: T) => Known<T>;

/** The base image of the chain's first stage; '' for scratch; absent when a build argument decides it. */
function imageOf(chain: readonly Stage[], final: Stage, known: KnownOf): Value<string> {
  const root = chain[0]!;
  const origin = root === final ? 'explicit' : 'inherited';
  if (root.base.unresolved) return absent(root.base.path);
  return known(root.base.scratch ? '' : root.base.image, origin, root.base.path, root.base.loc);
}

/** EXPOSE along the chain: `80` → `80/tcp`, ranges expanded, variables substituted where known. */
function exposedPortsOf(chain: readonly Stage[], final: Stage, known: KnownOf, byDefault: DefaultOf): Value<readonly string[]> {
  const ports = new Set<string>();
  const seen = new Set<string>();
  let first: Instruction | undefined;
  let inFinal = false;
  for (const stage of chain) {
    for (const ins of stage.instructions) {
      if (ins.keyword !== 'EXPOSE') continue;
      first ??= ins;
      if (stage === final) inFinal = true;
      for (const word of (ins.expanded ?? ins.args).split(/\s+/)) {
        if (seen.has(word)) continue;
        seen.add(word);
        for (const p of portsOf(word)) ports.add(p);
      }
    }
  }
  if (!first) return byDefault([]);
  return known([...ports], inFinal ? 'explicit' : 'inherited', first.path, first.loc);
}

const MAX_RANGE = 1024;

function portsOf(word: string): string[] {
  if (word === '') return [];
  const slash = word.indexOf('/');
  const spec = slash < 0 ? word : word.slice(0, slash);
  const protocol = slash < 0 ? 'tcp' : word.slice(slash + 1).toLowerCase();
  if (protocol !== 'tcp' && protocol !== 'udp' && protocol !== 'sctp') return [];
  const dash = spec.indexOf('-');
  const low = Number(dash < 0 ? spec : spec.slice(0, dash));
  const high = dash < 0 ? low : Number(spec.slice(dash + 1));
  if (!isPort(low) || !isPort(high) || high < low) return [];
  if (high - low >= MAX_RANGE) return [`${spec}/${protocol}`];
  const out: string[] = [];
  for (let p = low; p <= high; p++) out.push(`${p}/${protocol}`);
  return out;
}

function isPort(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= 65535;
}

/** ENV along the chain: the last value of each name, in the order names first appear (as the engine keeps Config.Env). */
function envOf(chain: readonly Stage[], final: Stage, known: KnownOf, byDefault: DefaultOf): Value<readonly EnvVar[]> {
  const byName = new Map<string, EnvVar>();
  let first: Instruction | undefined;
  let inFinal = false;
  for (const stage of chain) {
    for (const ins of stage.instructions) {
      if (ins.keyword !== 'ENV') continue;
      first ??= ins;
      if (stage === final) inFinal = true;
      for (const p of ins.properties ?? []) {
        const v: EnvVar = p.loc ? { path: p.path, loc: p.loc, name: p.name, value: p.value ?? '', fromSecret: false } : { path: p.path, name: p.name, value: p.value ?? '', fromSecret: false };
        if (byName.has(p.name)) byName.delete(p.name);
        byName.set(p.name, v);
      }
    }
  }
  if (!first) return byDefault([]);
  return known([...byName.values()], inFinal ? 'explicit' : 'inherited', first.path, first.loc);
}

/**
 * ENTRYPOINT and CMD as the engine will run them. An ENTRYPOINT resets a CMD
 * inherited from an earlier stage or the base image (BuildKit keeps a CMD set
 * earlier in the same stage).
 */
function commandsOf(
  chain: readonly Stage[],
  final: Stage,
  known: KnownOf,
  byDefault: DefaultOf,
): { entrypoint: Value<readonly string[]>; cmd: Value<readonly string[]> } {
  let entrypoint: Value<readonly string[]> = byDefault([]);
  let cmd: Value<readonly string[]> = byDefault([]);
  for (const stage of chain) {
    const origin = stage === final ? 'explicit' : 'inherited';
    let cmdSet = false;
    for (const ins of stage.instructions) {
      if (ins.keyword === 'CMD') {
        cmd = known(argv(ins), origin, ins.path, ins.loc);
        cmdSet = true;
      } else if (ins.keyword === 'ENTRYPOINT') {
        entrypoint = known(argv(ins), origin, ins.path, ins.loc);
        if (!cmdSet) cmd = known([], origin, ins.path, ins.loc);
      }
    }
  }
  return { entrypoint, cmd };
}

function argv(ins: Instruction): string[] {
  if (ins.form === 'exec') return (ins.words ?? []).map((w) => w.value);
  return [...(ins.shell ?? ['/bin/sh', '-c']), ins.script ?? ins.args];
}

/** Places paths by walking the build model: every node of it carries its loc. */
function locate(build: Build, paths: readonly string[]): ReadonlyMap<string, Loc> {
  const out = new Map<string, Loc>();
  for (const path of paths) {
    const node = nodeAt(build, path);
    const loc = node !== null && typeof node === 'object' ? (node as { loc?: Loc }).loc : undefined;
    if (loc) out.set(path, loc);
  }
  return out;
}

/**
 * The model node at a path (`stages[1].instructions[3].commands[0]`): names
 * and indexes only, which is all the build model's paths use; anything else
 * finds nothing.
 */
function nodeAt(root: unknown, path: string): unknown {
  let node = root;
  let i = 0;
  while (i < path.length) {
    if (node === null || typeof node !== 'object') return undefined;
    let key: string | number;
    if (path[i] === '[') {
      const close = path.indexOf(']', i);
      if (close < 0) return undefined;
      key = Number(path.slice(i + 1, close));
      if (!Number.isInteger(key)) return undefined;
      i = close + 1;
    } else {
      if (path[i] === '.') i++;
      let j = i;
      while (j < path.length && path[j] !== '.' && path[j] !== '[') j++;
      key = path.slice(i, j);
      i = j;
    }
    if (!Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}
