import { IncompleteError } from '../../core/errors.js';
import type { Finding } from '../../core/finding.js';
import type { Rule } from '../../core/rule.js';
import { runRules } from '../../core/engine.js';
import { applicable, type Section } from '../../core/sections.js';
import { subjectsOf } from '../../model/workload.js';
import { subjectKey, type EngineHost, type Subject } from '../../model/subject.js';
import { scanContainerProcesses, type ContainerProcess } from '../../linux/container-processes.js';
import { mapLimited } from './concurrency.js';
import type { Endpoint } from './endpoint.js';
import { fetchWorkload } from './fetch.js';
import { engineParts, engineWorkload, fetchFor } from './engine-sections.js';

export interface FleetOptions {
  /** The engine sections asked for (images, containers, operations). */
  readonly sections: ReadonlySet<Section>;
  readonly rules: readonly Rule[];
  readonly all: boolean;
  readonly allImages: boolean;
  /** Engines audited at once. */
  readonly parallel: number;
  /** Requests in flight to one engine. */
  readonly concurrency: number;
  readonly timeoutSeconds: number;
  /** Told when an engine starts and ends (for the log). */
  readonly onEngine?: (message: string) => void;
}

/** One engine's audit: its findings and subjects carry subject.host; or why it could not be audited. */
export type EngineAudit =
  | {
      readonly ok: true;
      readonly endpoint: Endpoint;
      readonly host: EngineHost;
      readonly findings: Finding[];
      readonly subjects: Subject[];
      readonly rules: Rule[];
      readonly notes: string[];
      readonly summary: string;
    }
  | { readonly ok: false; readonly endpoint: Endpoint; readonly why: string };

/**
 * Audits each engine on its own (one fetch, one rule run), at most
 * `parallel` at a time. An engine that cannot be reached, or does not answer
 * within the timeout, is an `ok: false` result: the others complete.
 * Results keep the endpoints' order.
 */
export function auditFleet(endpoints: readonly Endpoint[], o: FleetOptions): Promise<EngineAudit[]> {
  // Engines on this machine find their containers' processes in /proc: one pass for all of them (a pass reads every process).
  let scan: Promise<readonly ContainerProcess[]> | undefined;
  const processScan = () => (scan ??= scanContainerProcesses());
  return mapLimited(endpoints, o.parallel, async (endpoint): Promise<EngineAudit> => {
    o.onEngine?.(`auditing the engine at ${endpoint.address} (from ${endpoint.from})`);
    try {
      return await auditOne(endpoint, o, processScan);
    } catch (e) {
      if (!(e instanceof IncompleteError)) throw e;
      o.onEngine?.(`${e.message}: not audited`);
      return { ok: false, endpoint, why: e.message };
    }
  });
}

async function auditOne(endpoint: Endpoint, o: FleetOptions, processScan: () => Promise<readonly ContainerProcess[]>): Promise<EngineAudit> {
  const fetched = await fetchWorkload(endpoint, {
    processScan,
    all: o.all,
    concurrency: o.concurrency,
    timeoutSeconds: o.timeoutSeconds,
    ...fetchFor(o.sections, o.allImages),
  });
  const workload = engineWorkload(fetched, o.sections);
  const host: EngineHost = { name: String(fetched.info['Name'] ?? ''), id: String(fetched.info['ID'] ?? '') };
  const rules = applicable(o.rules, workload);
  // One tagged subject per subject, shared by its findings (the JSON writer reuses a subject's text across its findings).
  const tagged = new Map<string, Subject>();
  const tag = (s: Subject): Subject => {
    const k = subjectKey(s);
    let t = tagged.get(k);
    if (!t) tagged.set(k, (t = { ...s, host }));
    return t;
  };
  const findings = runRules(workload, rules).map((f) => ({ ...f, subject: tag(f.subject) }));
  // The daemon's own subject belongs to the daemon section, which reads this machine's files: not audited per engine.
  const subjects = subjectsOf(workload).filter((s) => s.kind === 'image' || s.kind === 'container').map(tag);
  const parts = engineParts(fetched, o.sections, o.all, o.allImages);
  const summary = `${host.name} (${endpoint.address}, Docker ${workload.daemon?.serverVersion ?? '?'}${parts.length ? `, ${parts.join(', ')}` : ''})`;
  return { ok: true, endpoint, host, findings, subjects, rules, notes: fetched.notes.map((n) => `${host.name}: ${n}`), summary };
}
