/**
 * Where each workload kind keeps its pod: the pod spec and the pod's
 * metadata (annotations such as AppArmor's apply to the pod, not to the
 * Deployment that makes it), and how a List holds its items.
 */
import type { Segment } from '../../model/path.js';

export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The path from a workload to the object holding its pod's `metadata` and `spec`. A Map: `kind` is input, and `__proto__` is not a kind. */
const POD_AT: ReadonlyMap<string, readonly Segment[]> = new Map([
  ['Pod', []],
  ['PodTemplate', ['template']],
  ['Deployment', ['spec', 'template']],
  ['StatefulSet', ['spec', 'template']],
  ['DaemonSet', ['spec', 'template']],
  ['ReplicaSet', ['spec', 'template']],
  ['ReplicationController', ['spec', 'template']],
  ['Job', ['spec', 'template']],
  ['CronJob', ['spec', 'jobTemplate', 'spec', 'template']],
]);

export function isWorkloadKind(kind: string): boolean {
  return POD_AT.has(kind);
}

/** Kinds whose containers run to completion: health checks mean nothing to them. */
export function isBatchKind(kind: string): boolean {
  return kind === 'Job' || kind === 'CronJob';
}

/** The pod template of a workload, with its segments relative to the workload. */
export function podOf(workload: Json, kind: string): { pod: Json; at: readonly Segment[] } | undefined {
  const at = POD_AT.get(kind);
  if (!at) return undefined;
  let node: unknown = workload;
  for (const s of at) {
    if (!isObject(node)) return undefined;
    node = node[s as string];
  }
  return isObject(node) ? { pod: node, at } : undefined;
}

/** `kind: List`, and the typed lists `kubectl get -o yaml` prints (PodList, DeploymentList, …). */
export function isList(value: Json): boolean {
  const kind = value['kind'];
  return typeof kind === 'string' && kind.endsWith('List') && Array.isArray(value['items']);
}

/** The kind of a list item: its own, or the one its typed list implies (items of a PodList may omit it). */
export function itemKind(item: Json, listKind: string): string | undefined {
  const own = item['kind'];
  if (typeof own === 'string' && own !== '') return own;
  return listKind !== 'List' ? listKind.slice(0, -'List'.length) : undefined;
}

export function stringAt(o: Json | undefined, key: string): string | undefined {
  const v = o?.[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function objectAt(o: Json | undefined, key: string): Json | undefined {
  const v = o?.[key];
  return isObject(v) ? v : undefined;
}
