import { hostname } from 'node:os';
import type { Host } from '../../model/host.js';
import type { Section } from '../../core/sections.js';
import type { Endpoint } from '../engine/endpoint.js';
import { HostReadError, type HostRoot } from '../../linux/host-root.js';
import { collectDaemon } from './daemon-config.js';

/** What the host sections read from. */
export interface HostInputs {
  readonly root: HostRoot;
  /** The engine being audited, when there is one: the daemon section looks for the dockerd serving it. */
  readonly endpoint?: Endpoint;
  /** `GET /info`, when the engine answered. */
  readonly info?: Record<string, unknown>;
}

type Facts = 'system' | 'daemon' | 'files';

/**
 * Each host section's collector, in the order they run: a later one may read
 * what an earlier one found (the files section takes the TLS paths from the
 * daemon's settings). A collector throws HostReadError when a file it cannot
 * do without is unreadable; the audit notes it and the other sections go on.
 * What a collector could read only in part it says with `note`.
 */
const COLLECTORS: readonly {
  readonly section: Section;
  readonly facts: Facts;
  collect(inputs: HostInputs, host: Host, note: (message: string) => void): Promise<Host[Facts]>;
}[] = [
  // Before 'files': it reads the TLS paths and daemon.json's path from these settings.
  { section: 'daemon', facts: 'daemon', collect: collectDaemon },
];

/** The host's facts for the selected sections, and notes on what could not be read. */
export async function collectHost(inputs: HostInputs, sections: ReadonlySet<Section>): Promise<{ host: Host; notes: string[] }> {
  const notes: string[] = [];
  let host: Host = { root: inputs.root.root, name: hostName(inputs.root) };
  for (const { section, facts, collect } of COLLECTORS) {
    if (!sections.has(section)) continue;
    try {
      host = { ...host, [facts]: await collect(inputs, host, (n) => notes.push(n)) };
    } catch (e) {
      if (!(e instanceof HostReadError)) throw e;
      notes.push(`the ${section} section could not read ${e.message}; its checks did not run`);
    }
  }
  return { host, notes };
}

/** The host's name: its /etc/hostname, else this machine's name when the root is our own. */
function hostName(root: HostRoot): string {
  try {
    const name = root.readText('/etc/hostname')?.trim();
    if (name) return name;
  } catch {
    // unreadable: fall through
  }
  return root.root === '/' ? hostname() : root.root;
}
