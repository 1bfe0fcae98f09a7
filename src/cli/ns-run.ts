import { EXIT } from '../core/errors.js';
import { openClient } from '../inputs/engine/client.js';
import { resolveEndpoint } from '../inputs/engine/endpoint.js';
import { HostRoot } from '../linux/host-root.js';
import { hostSharing, readNamespaceMap } from '../linux/namespace-map.js';
import { renderNsJson, renderNsText, type NsReport } from '../reporters/ns.js';
import type { Logger } from './log.js';
import type { NsOptions } from './ns.js';
import { useColor } from './output.js';
import { reason } from '../inputs/engine/fetch.js';

export async function ns(opts: NsOptions, logger: Logger): Promise<number> {
  const map = readNamespaceMap(new HostRoot(opts.root), opts.hostPid === undefined ? {} : { hostPid: opts.hostPid });
  const notes = [...map.notes];
  const ids = new Set(map.namespaces.flatMap((n) => n.containerIds));
  const names = ids.size ? await containerNames(opts.host, notes) : new Map<string, string>();
  const report: NsReport = { namespaces: map.namespaces, sharing: hostSharing(map.namespaces), names, notes };
  for (const n of notes) logger.warn(n);
  process.stdout.write(opts.format === 'json' ? renderNsJson(report) : renderNsText(report, useColor(opts.color, false)));
  // Processes not read (not root): the list is shown as far as read, and the exit code says it is partial.
  return map.unreadable > 0 ? EXIT.incomplete : EXIT.clean;
}

/** Container names by id from the engine; an engine that cannot be reached is a note (ids are still shown), not a failure. */
async function containerNames(host: string | undefined, notes: string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const endpoint = resolveEndpoint(host);
  let client;
  try {
    client = await openClient(endpoint, { timeoutMs: 10_000, concurrency: 1 });
    const list = await client.get('/containers/json?all=1');
    if (!Array.isArray(list)) throw new Error('unexpected answer to /containers/json (is this a Docker engine?)');
    for (const c of list as { Id?: unknown; Names?: unknown }[]) {
      const name = Array.isArray(c.Names) ? c.Names[0] : undefined;
      if (typeof c.Id === 'string' && typeof name === 'string') names.set(c.Id, name.replace(/^\//, ''));
    }
  } catch (e) {
    notes.push(`cannot reach the Docker engine at ${endpoint.address} (from ${endpoint.from}): containers are shown by id only (${reason(e)})`);
  } finally {
    client?.close();
  }
  return names;
}
