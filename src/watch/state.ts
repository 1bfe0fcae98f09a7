import { createHash } from 'node:crypto';
import type { Process } from '../model/container.js';

/**
 * What "the same state" of a container means for `watch`: the facts the
 * rules read, without what changes on every start. A container is reported
 * again only when this digest changes.
 *
 * Kept: Name, Image, Config, HostConfig, Mounts, the security labels and
 * profiles, State.Status (created → running is a new state) and
 * State.Health.Status (the health rule reads it), and the commands of its
 * processes (the sshd rule reads them), sorted and without PIDs.
 * Left out as volatile: State's times, PID and exit code, the health log,
 * NetworkSettings (addresses and sandbox change on each start), RestartCount,
 * ExecIDs, SizeRw/SizeRootFs, LogPath.
 */
export function stateDigest(doc: Record<string, unknown>, processes: readonly Process[] | undefined): string {
  const state = (doc['State'] ?? {}) as { Status?: unknown; Health?: { Status?: unknown } };
  const facts = {
    Name: doc['Name'],
    Image: doc['Image'],
    Config: doc['Config'],
    HostConfig: doc['HostConfig'],
    Mounts: doc['Mounts'],
    AppArmorProfile: doc['AppArmorProfile'],
    ProcessLabel: doc['ProcessLabel'],
    MountLabel: doc['MountLabel'],
    Platform: doc['Platform'],
    Driver: doc['Driver'],
    Status: state.Status,
    Health: state.Health?.Status,
    Commands: [...new Set((processes ?? []).map((p) => p.command))].sort(),
  };
  return createHash('sha256').update(canonical(facts)).digest('hex');
}

/** JSON with object keys sorted: the engine's key order is not a fact. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The last digest reported for each container id; forgotten when the container is destroyed. */
export class SeenStates {
  private readonly byId = new Map<string, string>();

  /** True (and remembered) when this state of the container was not the last one reported. */
  isNew(id: string, digest: string): boolean {
    if (this.byId.get(id) === digest) return false;
    this.byId.set(id, digest);
    return true;
  }

  forget(id: string): void {
    this.byId.delete(id);
  }
}
