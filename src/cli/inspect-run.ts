import { EXIT, IncompleteError, InputError } from '../core/errors.js';
import type { Finding } from '../core/finding.js';
import { risksOf } from '../core/process-risks.js';
import { inspectOne } from '../inputs/engine/one-container.js';
import { daemonFromInfo } from '../inputs/engine/fetch.js';
import { containerFromInspect, InspectShapeError } from '../inputs/inspect/adapt.js';
import { isLocalContainerPid, processesByContainer } from '../linux/container-processes.js';
import { HostRoot } from '../linux/host-root.js';
import { NoSuchProcess, readProcessFacts, type ProcessFacts } from '../linux/process-facts.js';
import { renderInspectJson, renderInspectText, type ContainerRef } from '../reporters/inspect.js';
import { containerFindings } from '../rules/support/container-findings.js';
import type { InspectOptions } from './inspect.js';
import type { Logger } from './log.js';
import { useColor } from './output.js';

interface Resolved {
  readonly pid: number;
  readonly container?: ContainerRef;
  readonly findings?: readonly Finding[];
}

export async function inspect(target: string | undefined, opts: InspectOptions, logger: Logger): Promise<number> {
  if (opts.self && target !== undefined) throw new InputError('give a TARGET or --self, not both');
  if (!opts.self && target === undefined) throw new InputError('give a TARGET (a PID, or a container name or id) or --self');
  // --self looks at this process as it sees itself: its own /proc, whatever --root says.
  const root = new HostRoot(opts.self ? '/' : opts.root);
  const resolved: Resolved = opts.self ? { pid: process.pid } : /^\d+$/.test(target!) ? { pid: Number(target) } : await resolveContainer(target!, opts, root);
  let facts: ProcessFacts;
  try {
    facts = readProcessFacts(root, resolved.pid, opts.hostPid === undefined ? {} : { hostPid: opts.hostPid });
  } catch (e) {
    if (e instanceof NoSuchProcess) throw new InputError(resolved.container ? `container ${resolved.container.name}: ${e.message} (it stopped)` : e.message);
    throw e;
  }
  for (const n of facts.notes) logger.warn(n);
  const risks = risksOf(facts, resolved.container !== undefined);
  process.stdout.write(
    opts.format === 'json'
      ? renderInspectJson(facts, resolved.container, resolved.findings)
      : renderInspectText(facts, risks, resolved.container, resolved.findings, useColor(opts.color, false)),
  );
  // A part that could not be read (the process exited, an entry unreadable): shown as far as read, and said by the exit code.
  return incomplete(facts) ? EXIT.incomplete : EXIT.clean;
}

function incomplete(f: ProcessFacts): boolean {
  return [f.capabilities, f.cgroups, f.network, f.mounts, f.seccomp, f.namespaces.pid, f.namespaces.net, f.namespaces.mnt].some((p) => p === null);
}

/**
 * A container name or id → its PID, through the engine; and the live
 * audit's findings for that one container (its inspect document, the same
 * rules as `audit --sections containers`).
 */
async function resolveContainer(name: string, opts: InspectOptions, root: HostRoot): Promise<Resolved> {
  const { doc, info, endpoint } = await inspectOne(name, opts.host);
  const id = String(doc.Id ?? '');
  const ref: ContainerRef = { name: String(doc.Name ?? name).replace(/^\//, ''), id, image: String(doc.Config?.Image ?? '') };
  const pid = doc.State?.Pid;
  if (doc.State?.Running !== true || typeof pid !== 'number' || pid <= 0) {
    throw new InputError(`container ${ref.name} is not running (${String(doc.State?.Status ?? 'no state')}): there is no process to inspect`);
  }
  const proc = `${root.root === '/' ? '' : root.root}/proc`;
  if (!isLocalContainerPid(pid, id, proc)) {
    throw new InputError(`container ${ref.name} is not on this machine (PID ${pid} in ${proc} is not its process): run bulkhead inspect on the engine's host${endpoint.local ? ', or give --root where its / is mounted' : ''}`);
  }
  let findings: Finding[];
  try {
    const container = containerFromInspect(doc, { kind: 'engine' }, (await processesByContainer([id], proc)).get(id));
    findings = containerFindings(container, info ? daemonFromInfo(info) : undefined);
  } catch (e) {
    if (e instanceof InspectShapeError) throw new IncompleteError(`container ${ref.name}: unexpected inspect document (${e.message})`);
    throw e;
  }
  return { pid, container: ref, findings };
}
