import type { Finding } from '../../core/finding.js';
import type { Container, SourceKind } from '../../model/container.js';
import { splitPath, type Segment } from '../../model/path.js';
import { suggestCapabilities } from '../capabilities.js';
import { addAppend, addChange, type ChangeNode } from './change-tree.js';
import type { FixOptions } from './fix-options.js';

/** The input kinds whose files this module edits (a Dockerfile has its own fixer). */
export type RuntimeKind = Extract<SourceKind, 'compose' | 'kubernetes' | 'ecs'>;

/**
 * Where a finding's container sits in its document, and the keys it uses:
 * compose `services.NAME`, Kubernetes `…containers[i]`, ECS
 * `containerDefinitions[i]` (PascalCase keys in CloudFormation).
 */
export interface Place {
  readonly kind: RuntimeKind;
  /** False for a pod-level fact (hostNetwork): `base` is then the fact's own path, not a container's. */
  readonly container: boolean;
  readonly base: readonly Segment[];
  readonly key: (camel: string) => string;
}

/** What a fix does for one rule: changes recorded in the document's tree, or a note saying why not. */
type Fixer = (f: Finding, at: Place, tree: ChangeNode, o: FixOptions, note: (text: string) => void, c: Container | undefined) => void;

const NOT_WITHOUT_AGGRESSIVE = 'may be needed; --aggressive removes it';

/** Compose keys that put a service in a host namespace: removing one gives the service its own. */
const COMPOSE_HOST_KEYS = ['network_mode', 'pid', 'ipc', 'uts', 'userns_mode'];

/**
 * Host namespace settings, with --aggressive: compose removes the key;
 * Kubernetes sets the pod's flag false; ECS removes pidMode/ipcMode. An ECS
 * task's networkMode is always left: which of awsvpc and bridge is right
 * depends on the service around it.
 */
const hostNamespace: Fixer = (f, at, tree, o, note) => {
  const path = ownPath(f);
  const what = String(path[path.length - 1]);
  if (at.kind === 'ecs' && /^networkmode$/i.test(what)) return note(`left ${what}: host; choose the task's network mode (awsvpc, bridge) yourself`);
  if (!o.aggressive) return note(`left ${what} (${NOT_WITHOUT_AGGRESSIVE})`);
  if (at.kind === 'kubernetes') addChange(tree, path, { op: 'set', value: false });
  else if (at.kind === 'ecs' || COMPOSE_HOST_KEYS.includes(what)) addChange(tree, path, { op: 'remove' });
  else note(`left ${what}: not a setting this fix knows how to change`);
};

/**
 * The fixes for compose services, Kubernetes containers and ECS container
 * definitions, by rule name. Only what each rule's finding names is changed,
 * so a file with no findings gets no edits.
 */
export const RUNTIME_FIXERS: Readonly<Record<string, Fixer>> = {
  'privileged-container': (f, at, tree, o, note) => {
    if (!o.aggressive) return note(`left privileged: true (${NOT_WITHOUT_AGGRESSIVE})`);
    // A compose service that has it through a `<<` merge overrides it: the anchor is shared with other services.
    const merged = splitPath(f.location.path).includes('<<');
    if (at.kind === 'compose' && !merged) addChange(tree, ownPath(f), { op: 'remove' });
    else addChange(tree, ownPath(f), { op: 'set', value: false });
  },
  'host-network': hostNamespace,
  'host-pid': hostNamespace,
  'host-ipc': hostNamespace,
  'host-uts': hostNamespace,
  'host-userns': hostNamespace,
  'no-new-privileges-unset': (_f, at, tree, o, note, c) => {
    const isNnp = (item: unknown) => typeof item === 'string' && item.replace(/[=:].*$/, '') === 'no-new-privileges';
    if (at.kind === 'compose') addAppend(tree, [...at.base, 'security_opt'], { item: 'no-new-privileges:true', replaces: isNnp });
    else if (at.kind === 'kubernetes') {
      // The API server refuses allowPrivilegeEscalation: false beside privileged: true or an added SYS_ADMIN.
      const privileged = c?.privileged.origin !== 'absent' && c?.privileged.value === true && !o.aggressive;
      const sysAdmin = c?.capAdd.origin !== 'absent' && (c?.capAdd.value ?? []).some((n) => n.toUpperCase().replace(/^CAP_/, '') === 'SYS_ADMIN');
      if (privileged || sysAdmin) return note(`left allowPrivilegeEscalation: Kubernetes refuses false for a container that is ${privileged ? 'privileged' : 'given SYS_ADMIN'}`);
      addChange(tree, [...at.base, 'securityContext', 'allowPrivilegeEscalation'], { op: 'set', value: false });
    }
    else addAppend(tree, [...at.base, at.key('dockerSecurityOptions')], { item: 'no-new-privileges', replaces: isNnp });
  },
  'writable-root-filesystem': (_f, at, tree, _o, _note, c) => {
    const hasTmp = c?.mounts.origin !== 'absent' && (c?.mounts.value ?? []).some((m) => m.destination.replace(/\/+$/, '') === '/tmp');
    if (at.kind === 'compose') {
      addChange(tree, [...at.base, 'read_only'], { op: 'set', value: true });
      // Most programs write temporary files; /tmp in memory keeps them working on a read-only root.
      if (!hasTmp) addChange(tree, [...at.base, 'tmpfs'], { op: 'default', value: ['/tmp'] });
    } else if (at.kind === 'kubernetes') {
      addChange(tree, [...at.base, 'securityContext', 'readOnlyRootFilesystem'], { op: 'set', value: true });
      if (!hasTmp) {
        const volumes = [...at.base.slice(0, -2), 'volumes'];
        addAppend(tree, [...at.base, 'volumeMounts'], { item: { name: TMP_VOLUME, mountPath: '/tmp' }, needs: volumes });
        addAppend(tree, volumes, { item: { name: TMP_VOLUME, emptyDir: {} } });
      }
    } else {
      addChange(tree, [...at.base, at.key('readonlyRootFilesystem')], { op: 'set', value: true });
    }
  },
  'no-pids-limit': (_f, at, tree, o) => {
    if (at.kind === 'compose') addChange(tree, [...at.base, 'pids_limit'], { op: 'set', value: o.pidsLimit });
  },
  'no-memory-limit': (_f, at, tree, o) => {
    if (at.kind === 'compose') addChange(tree, [...at.base, 'mem_limit'], { op: 'set', value: `${o.memoryMiB}m` });
    else if (at.kind === 'kubernetes') addChange(tree, [...at.base, 'resources', 'limits', 'memory'], { op: 'set', value: `${o.memoryMiB}Mi` });
    else addChange(tree, [...at.base, at.key('memory')], { op: 'set', value: o.memoryMiB });
  },
  'capabilities-added': (f, at, tree, o, note) => {
    if (!o.aggressive) return note(`left the added capabilities (${NOT_WITHOUT_AGGRESSIVE})`);
    // The capability list itself is rewritten from the suggestion (capabilityChanges); the finding's item goes.
    const path = ownPath(f);
    if (typeof path[path.length - 1] === 'number') addChange(tree, path, { op: 'remove' });
  },
  'daemon-in-background': (_f, _at, _tree, _o, note) => {
    // The command is the user's program line; which flag keeps a service in the foreground is in the finding.
    note('left the command: run the daemon in the foreground as the finding says');
  },
  'runs-as-root': (_f, at, _tree, _o, note) => {
    const key = at.kind === 'compose' ? 'user:' : at.kind === 'kubernetes' ? 'securityContext.runAsUser/runAsNonRoot' : at.key('user');
    note(`left the user: many images need root to start; set ${key} once the image runs as another user`);
  },
};

const TMP_VOLUME = 'bulkhead-tmp';

/**
 * Drop every capability and add back what the container needs: for each
 * container the fix changes anyway (so a file with no findings is left
 * alone), unless it already drops ALL.
 */
export function capabilityChanges(c: Container, at: Place, tree: ChangeNode, note: (text: string) => void): void {
  const drop = c.capDrop.origin === 'absent' ? [] : c.capDrop.value;
  if (drop.some((d) => d.toUpperCase() === 'ALL' || d.toUpperCase() === 'CAP_ALL')) return;
  const suggestion = suggestCapabilities(c);
  const had = new Set((c.capAdd.origin === 'absent' ? [] : c.capAdd.value).map((n) => n.toUpperCase().replace(/^CAP_/, '')));
  const caps = (k: 'drop' | 'add') =>
    at.kind === 'compose' ? [...at.base, `cap_${k}`] : at.kind === 'kubernetes' ? [...at.base, 'securityContext', 'capabilities', k] : [...at.base, at.key('linuxParameters'), at.key('capabilities'), at.key(k)];
  addAppend(tree, caps('drop'), { item: 'ALL' });
  for (const cap of suggestion.add) if (!had.has(cap.name)) addAppend(tree, caps('add'), { item: cap.name });
  for (const n of suggestion.notes) note(n);
}

/** Where the finding's container is, from the finding's path; undefined when it is not a container of these kinds. */
export function placeOf(f: Finding, kind: RuntimeKind): Place | undefined {
  const path = ownPath(f);
  const camel = (k: string) => k;
  if (kind === 'compose') return path[0] === 'services' && path.length >= 2 ? { kind, container: true, base: path.slice(0, 2), key: camel } : undefined;
  const names = kind === 'kubernetes' ? ['containers', 'initContainers', 'ephemeralContainers'] : ['containerDefinitions', 'ContainerDefinitions'];
  for (let i = path.length - 2; i >= 0; i--) {
    if (names.includes(String(path[i])) && typeof path[i + 1] === 'number') {
      const pascal = path[i] === 'ContainerDefinitions';
      return { kind, container: true, base: path.slice(0, i + 2), key: pascal ? (k) => k[0]!.toUpperCase() + k.slice(1) : camel };
    }
  }
  // Pod- and task-level facts (hostNetwork, pidMode) have no container in their path; the fixers that use them read only the finding's path.
  return { kind, container: false, base: path, key: camel };
}

/** The finding's path in the file that sets it: a compose service's own mapping, not the `<<` merge it got a value from. */
export function ownPath(f: Finding): Segment[] {
  const path = splitPath(f.location.path);
  // `<<: [*a, *b]` adds the source's index after the `<<`: it goes too.
  return path.filter((s, i) => s !== '<<' && !(i > 0 && path[i - 1] === '<<' && typeof s === 'number'));
}
