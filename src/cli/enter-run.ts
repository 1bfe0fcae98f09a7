import { existsSync, readFileSync } from 'node:fs';
import { IncompleteError, InputError } from '../core/errors.js';
import { EngineHttpError, openClient } from '../inputs/engine/client.js';
import { resolveEndpoint } from '../inputs/engine/endpoint.js';
import { capNames, parseCapMask } from '../linux/capabilities.js';
import { isLocalContainerPid } from '../linux/container-processes.js';
import { NAMESPACES, namespaceAccessProblem, nsenterArgs, runNsenter, type Namespace } from '../linux/nsenter.js';
import type { EnterOptions } from './enter.js';
import { engineUnreachable } from '../inputs/engine/fetch.js';

/**
 * `bulkhead enter TARGET [--net …] -- COMMAND…`: docker inspect's State.Pid
 * and nsenter in one step. With no namespace flag, the network namespace
 * only: the point is to look into a container with the host's tools (ip, ss,
 * tcpdump); the mount namespace would swap those tools for the container's
 * files, and `docker exec` already does that.
 */
export async function enter(target: string, command: string[], opts: EnterOptions): Promise<number> {
  const [program, ...rest] = command;
  if (program === undefined) throw new InputError('no COMMAND: bulkhead enter TARGET [--net] [--uts] … -- COMMAND [ARG…]');
  const chosen = NAMESPACES.filter((ns) => opts[ns]);
  const namespaces: [Namespace, ...Namespace[]] = chosen.length ? (chosen as [Namespace, ...Namespace[]]) : ['net'];

  const { pid, label } = /^\d+$/.test(target) ? processTarget(target) : await containerTarget(target, opts.host);
  const problem = namespaceAccessProblem(pid, namespaces);
  if (problem === 'gone') throw new InputError(`${label} exited before it could be entered`);
  if (problem === 'denied') throw new IncompleteError(`no permission to enter the namespaces of ${label}: /proc/${pid}/ns is not readable to bulkhead (run as root)`);
  // setns into any namespace but a user namespace needs CAP_SYS_ADMIN here; say so rather than leave it to nsenter's EPERM.
  if (!namespaces.includes('user') && !holdsSysAdmin()) throw new IncompleteError(`no permission to enter the namespaces of ${label}: that needs CAP_SYS_ADMIN (run as root)`);

  const result = await runNsenter(nsenterArgs(pid, namespaces, [program, ...rest]));
  if (result.kind === 'missing') throw new IncompleteError('nsenter not found: install util-linux (Debian: apt-get install util-linux)');
  return result.status;
}

function holdsSysAdmin(): boolean {
  const m = /^CapEff:\s*(\S+)$/m.exec(readFileSync('/proc/self/status', 'utf8'));
  const mask = m ? parseCapMask(m[1]!) : undefined;
  // Unreadable: let nsenter try and speak for itself.
  return mask === undefined || capNames(mask).includes('sys_admin');
}

function processTarget(text: string): { pid: number; label: string } {
  const pid = Number(text);
  if (!Number.isSafeInteger(pid) || pid < 1 || !existsSync(`/proc/${pid}`)) throw new InputError(`no process ${text}`);
  return { pid, label: `process ${pid}` };
}

interface InspectState {
  Id?: unknown;
  Name?: unknown;
  State?: { Running?: unknown; Pid?: unknown; Status?: unknown };
}

async function containerTarget(name: string, host: string | undefined): Promise<{ pid: number; label: string }> {
  const endpoint = resolveEndpoint(host);
  const client = await openClient(endpoint, { timeoutMs: 30_000, concurrency: 1 });
  let doc: InspectState;
  try {
    doc = (await client.get(`/containers/${encodeURIComponent(name)}/json`)) as InspectState;
  } catch (e) {
    if (e instanceof EngineHttpError && e.statusCode === 404) throw new InputError(`no container "${name}" on the Docker engine at ${endpoint.address}`);
    throw engineUnreachable(endpoint, e);
  } finally {
    client.close();
  }
  const label = `container ${typeof doc?.Name === 'string' ? doc.Name.replace(/^\//, '') : name}`;
  const id = typeof doc?.Id === 'string' ? doc.Id : '';
  const pid = doc?.State?.Pid;
  if (doc?.State?.Running !== true || typeof pid !== 'number' || pid < 1) {
    throw new InputError(`${label} is not running${typeof doc?.State?.Status === 'string' ? ` (${doc.State.Status})` : ''}`);
  }
  // The PID is the engine's view: it must be this machine's process of that
  // container (not a remote engine's number, nor a PID reused after a restart).
  if (!isLocalContainerPid(pid, id)) {
    throw new IncompleteError(`${label} runs as PID ${pid} on the engine at ${endpoint.address}, which is not a process of it here: run bulkhead on the engine's machine, in its PID namespace`);
  }
  return { pid, label };
}
