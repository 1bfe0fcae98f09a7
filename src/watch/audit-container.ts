import type { Finding } from '../core/finding.js';
import { EngineHttpError, type EngineClient } from '../inputs/engine/client.js';
import type { Endpoint } from '../inputs/engine/endpoint.js';
import { processesFromTop } from '../inputs/engine/fetch.js';
import { containerFromInspect } from '../inputs/inspect/adapt.js';
import { isLocalContainerPid, processesByContainer } from '../linux/container-processes.js';
import type { Process } from '../model/container.js';
import type { Daemon } from '../model/workload.js';
import { containerFindings } from '../rules/support/container-findings.js';
import type { InspectDoc } from '../inputs/engine/one-container.js';
import { stateDigest } from './state.js';

export interface ContainerRef {
  readonly name: string;
  readonly id: string;
  readonly image: string;
}

export interface ContainerAudit {
  readonly container: ContainerRef;
  /** The raw findings, before the user's policy. */
  readonly findings: readonly Finding[];
  readonly digest: string;
}

/**
 * One container's audit, as `audit --sections containers` does it for all:
 * its inspect document, its processes (/proc when the engine is on this
 * machine, else GET /top), the containers section's rules. Undefined when the
 * container is gone (removed between its event and this inspect).
 * Throws InspectShapeError for a document that is not a container's, and the
 * client's errors when the engine cannot be reached.
 */
export async function auditContainer(client: EngineClient, endpoint: Endpoint, id: string, daemon: Daemon): Promise<ContainerAudit | undefined> {
  let doc: InspectDoc;
  try {
    doc = (await client.get(`/containers/${encodeURIComponent(id)}/json`)) as InspectDoc;
  } catch (e) {
    if (e instanceof EngineHttpError && e.statusCode === 404) return undefined;
    throw e;
  }
  const fullId = String(doc.Id ?? id);
  const processes = await processesOf(client, endpoint, doc, fullId);
  const container = containerFromInspect(doc, { kind: 'engine' }, processes);
  const findings = containerFindings(container, daemon);
  return {
    container: { name: String(doc.Name ?? '').replace(/^\//, ''), id: fullId, image: String(doc.Config?.Image ?? '') },
    findings,
    digest: stateDigest(doc, processes),
  };
}

async function processesOf(client: EngineClient, endpoint: Endpoint, doc: InspectDoc, id: string): Promise<Process[] | undefined> {
  const pid = doc.State?.Pid;
  if (doc.State?.Running !== true || typeof pid !== 'number' || pid <= 0) return undefined;
  if (endpoint.local && isLocalContainerPid(pid, id)) return (await processesByContainer([id])).get(id);
  return processesFromTop(client, id);
}
