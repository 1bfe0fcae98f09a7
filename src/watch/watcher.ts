import { IncompleteError } from '../core/errors.js';
import { EngineHttpError, openClient, type EngineClient } from '../inputs/engine/client.js';
import type { Endpoint } from '../inputs/engine/endpoint.js';
import { containerEvents, openEvents, type ContainerEvent } from '../inputs/engine/events.js';
import { daemonFromInfo, engineUnreachable, reason } from '../inputs/engine/fetch.js';
import { InspectShapeError } from '../inputs/inspect/adapt.js';
import type { Daemon } from '../model/workload.js';
import type { Logger } from '../cli/log.js';
import { auditContainer, type ContainerAudit } from './audit-container.js';
import { Backoff, sleep } from './backoff.js';
import { SeenStates } from './state.js';

/** What the watch tells its caller. */
export interface WatchHooks {
  /** A container in a state not reported before. `event` is the engine's action, or `running` for one found at start. */
  report(event: string, time: Date, audit: ContainerAudit): void;
  /** Every audit, reported or not (the same state again). */
  audited(): void;
  destroyed(id: string): void;
  engineUp(up: boolean): void;
}

export interface WatchSettings {
  /** Audit the containers already running when the watch starts. */
  readonly existing: boolean;
  readonly timeoutSeconds: number;
}

interface Connection {
  readonly client: EngineClient;
  readonly daemon: Daemon;
  /** The engine's clock when connected, in seconds. */
  readonly now: number;
}

/**
 * Follows the engine's container events until `signal` aborts. The first
 * connection must succeed (else IncompleteError: a wrong --host should not
 * spin); after that a lost engine is retried with backoff, and the events
 * are resumed with `since` = the time of the last one seen, so what happened
 * while away is replayed; replays of a state already reported are dropped by
 * its digest (SeenStates).
 */
export async function watchEngine(endpoint: Endpoint, settings: WatchSettings, hooks: WatchHooks, logger: Logger, signal: AbortSignal): Promise<void> {
  const seen = new SeenStates();
  let conn: Connection;
  try {
    conn = await connect(endpoint, settings);
  } catch (e) {
    throw engineUnreachable(endpoint, e);
  }
  hooks.engineUp(true);
  let since = conn.now;
  let current: Connection | undefined = conn;
  const audit = async (c: Connection, id: string, name: string, event: string, time: Date) => {
    let result: ContainerAudit | undefined;
    try {
      result = await auditContainer(c.client, endpoint, id, c.daemon);
    } catch (e) {
      // The engine answered, but not with a container: skipped, or the event would be replayed for ever. Other errors are a lost engine.
      if (!(e instanceof InspectShapeError) && !(e instanceof EngineHttpError)) throw e;
      logger.warn(`container ${name}: ${e instanceof EngineHttpError ? `the engine answered ${e.message}` : `unexpected inspect document (${e.message})`}; skipped`);
      return;
    }
    if (!result) {
      logger.warn(`container ${name} (${event}) was removed before it could be audited; skipped`);
      return;
    }
    hooks.audited();
    if (seen.isNew(result.container.id, result.digest)) hooks.report(event, time, result);
  };
  const handle = async (c: Connection, e: ContainerEvent) => {
    if (e.action === 'destroy') {
      seen.forget(e.id);
      hooks.destroyed(e.id);
    } else await audit(c, e.id, e.name, e.action, new Date(e.time * 1000));
  };

  /** Audits every running container (states already reported are dropped by their digest). */
  const auditRunning = async (c: Connection, ids: readonly { id: string; name: string }[]) => {
    for (const id of ids) {
      if (signal.aborted) break;
      await audit(c, id.id, id.name, 'running', new Date());
    }
  };

  if (settings.existing) {
    let ids: { id: string; name: string }[];
    try {
      ids = await runningContainers(conn.client);
    } catch (e) {
      conn.client.close();
      throw new IncompleteError(`cannot list the containers of ${endpoint.address}: ${reason(e)}`);
    }
    logger.info(`auditing the ${ids.length} running ${ids.length === 1 ? 'container' : 'containers'}, then following events of ${endpoint.address}`);
    try {
      await auditRunning(conn, ids);
    } catch (e) {
      conn.client.close();
      throw new IncompleteError(`lost the Docker engine at ${endpoint.address} while auditing its running containers: ${reason(e)}`);
    }
  } else logger.info(`following events of ${endpoint.address}`);

  const backoff = new Backoff();
  let reconnecting = false;
  while (!signal.aborted) {
    try {
      if (!current) current = await connect(endpoint, settings);
      const c: Connection = current;
      const stream = await openEvents(c.client, since);
      const cancel = () => stream.cancel();
      signal.addEventListener('abort', cancel, { once: true });
      // A signal while the stream was opening has fired already: no listener would hear it.
      if (signal.aborted) cancel();
      try {
        hooks.engineUp(true);
        backoff.reset();
        if (reconnecting) {
          logger.info(`reconnected; catching up since ${new Date(since * 1000).toISOString()}`);
          // The engine keeps its last 256 events (a restarted one, those since it started): `since` alone could miss
          // some after a long absence, so the running containers are audited again too; what is unchanged is not reported.
          await auditRunning(c, await runningContainers(c.client));
        }
        reconnecting = false;
        for await (const event of containerEvents(stream.body)) {
          await handle(c, event);
          // Advanced after the event is handled: one lost mid-audit is replayed on reconnection.
          since = Math.max(since, event.time);
        }
      } finally {
        signal.removeEventListener('abort', cancel);
      }
      if (signal.aborted) break;
      logger.warn('the engine closed the event stream');
    } catch (e) {
      if (signal.aborted) break;
      if (!reconnecting) logger.warn(`lost the engine at ${endpoint.address}: ${reason(e)}`);
    }
    hooks.engineUp(false);
    current?.client.close();
    current = undefined;
    reconnecting = true;
    const wait = backoff.delay();
    logger.info(`engine unreachable, retrying in ${(wait / 1000).toFixed(1)}s`);
    await sleep(wait, signal);
  }
  current?.client.close();
}

/** The running containers' ids and names. */
async function runningContainers(client: EngineClient): Promise<{ id: string; name: string }[]> {
  const list = (await client.get('/containers/json')) as { Id?: unknown; Names?: unknown }[];
  return (Array.isArray(list) ? list : [])
    .filter((c): c is { Id: string; Names?: unknown } => typeof c?.Id === 'string')
    .map((c) => ({ id: c.Id, name: Array.isArray(c.Names) && typeof c.Names[0] === 'string' ? c.Names[0].replace(/^\//, '') : c.Id.slice(0, 12) }));
}

/** A fresh client (no socket of the lost engine reused) and the daemon's facts, which a restart may have changed. */
async function connect(endpoint: Endpoint, settings: WatchSettings): Promise<Connection> {
  const client = await openClient(endpoint, { timeoutMs: settings.timeoutSeconds * 1000, concurrency: 4 });
  try {
    const info = await client.get('/info');
    if (typeof info !== 'object' || info === null) throw new Error('unexpected answer to /info (is this a Docker engine?)');
    const record = info as Record<string, unknown>;
    const time = Date.parse(String(record['SystemTime'] ?? ''));
    return { client, daemon: daemonFromInfo(record), now: Number.isFinite(time) ? time / 1000 : Date.now() / 1000 };
  } catch (e) {
    client.close();
    throw e;
  }
}

