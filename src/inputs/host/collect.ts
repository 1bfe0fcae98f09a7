import { hostname } from 'node:os';
import type { Host } from '../../model/host.js';
import type { Section } from '../../core/sections.js';
import type { Endpoint } from '../engine/endpoint.js';
import { HostReadError, type HostRoot } from '../../linux/host-root.js';
import { collectSystem } from './system.js';
import { collectDaemon } from './daemon-config.js';
import { collectFiles } from './files.js';

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
const COLLECTORS: readonly Collector[] = [
  { section: 'host', facts: 'system', collect: collectSystem },
  // Before 'files': it reads the TLS paths and daemon.json's path from these settings.
  { section: 'daemon', facts: 'daemon', collect: collectDaemon },
  { section: 'files', facts: 'files', uses: ['daemon'], collect: collectFiles },
];

interface Collector {
  readonly section: Section;
  readonly facts: Facts;
  /** Facts of earlier collectors this one reads: they are gathered for it even when their section is not selected. */
  readonly uses?: readonly Facts[];
  collect(inputs: HostInputs, host: Host, note: (message: string) => void): Promise<Host[Facts]>;
}

/** The facts to gather: those of the selected sections, and those a selected section's collector reads. */
function factsToGather(sections: ReadonlySet<Section>): Set<Facts> {
  const facts = new Set<Facts>();
  for (const c of COLLECTORS) {
    if (!sections.has(c.section)) continue;
    facts.add(c.facts);
    for (const f of c.uses ?? []) facts.add(f);
  }
  return facts;
}

/** The host's facts for the selected sections, and notes on what could not be read. */
export async function collectHost(inputs: HostInputs, sections: ReadonlySet<Section>): Promise<{ host: Host; notes: string[] }> {
  const notes: string[] = [];
  let host: Host = { root: inputs.root.root, name: hostName(inputs.root) };
  const wanted = factsToGather(sections);
  for (const { section, facts, collect } of COLLECTORS) {
    if (!wanted.has(facts)) continue;
    // Facts gathered only for another section (the daemon's settings, for the files) speak through that section.
    const selected = sections.has(section);
    try {
      host = { ...host, [facts]: await collect(inputs, host, (n) => selected && notes.push(n)) };
    } catch (e) {
      if (!(e instanceof HostReadError)) throw e;
      if (selected) notes.push(`the ${section} section could not read ${e.message}; its checks did not run`);
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
