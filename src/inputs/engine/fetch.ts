import type { Container, Process } from '../../model/container.js';
import type { Daemon, Workload } from '../../model/workload.js';
import { explicit, absent } from '../../model/value.js';
import { IncompleteError } from '../../core/errors.js';
import { containerFromInspect, InspectShapeError } from '../inspect/adapt.js';
import { isLocalContainerPid, processesIn, scanContainerProcesses, type ContainerProcess } from '../../linux/container-processes.js';
import { mapLimited } from './concurrency.js';
import { NO_PROGRESS, type Progress } from '../../core/progress.js';
import type { Endpoint } from './endpoint.js';
import { EngineHttpError, openClient, type EngineClient } from './client.js';
import type { ContainerListEntry, FetchedImages, ImageListEntry } from './images.js';
import type { Inventory } from '../../model/image.js';

export interface FetchOptions {
  /** Also stopped and created containers. */
  readonly all: boolean;
  /** Parallel requests to the engine. */
  readonly concurrency?: number;
  /** Seconds before a request to the engine is abandoned. */
  readonly timeoutSeconds?: number;
  /**
   * The images section: audit the images the audited containers use
   * ('in-use'), or every image ('all'); each with its set-id files unless
   * `setuid` is false.
   */
  readonly images?: 'in-use' | 'all';
  readonly setuid?: boolean;
  /** The operations section: list every image and container. */
  readonly inventory?: boolean;
  /** Inspect the containers (the containers section); false when only their list is needed. Default true. */
  readonly containers?: boolean;
  readonly progress?: Progress;
  /**
   * This machine's container processes, when several engines of one audit
   * share one pass over /proc (a fleet audit); else each fetch makes its own.
   * A container started after that pass is asked for with `GET /top`.
   */
  readonly processScan?: () => Promise<readonly ContainerProcess[]>;
}

export interface Fetched {
  readonly workload: Workload;
  /** The body of `GET /info`, for the daemon section. */
  readonly info: Record<string, unknown>;
  /** Things the user should know that are not findings (a container vanished mid-audit). */
  readonly notes: string[];
  /** The audited images, when options.images was set. */
  readonly images?: FetchedImages;
  /** When options.inventory was set. */
  readonly inventory?: Inventory;
}

type InspectDoc = Record<string, unknown> & { Id: string; State?: { Running?: boolean; Pid?: number } };

/**
 * The live audit's input: one list, one /info, then each container's inspect
 * document with bounded concurrency. Processes come from /proc when the engine
 * is on this machine (one scan for all containers), else from `GET /top`.
 */
export async function fetchWorkload(endpoint: Endpoint, options: FetchOptions): Promise<Fetched> {
  const concurrency = options.concurrency ?? 16;
  const client = await openClient(endpoint, { timeoutMs: (options.timeoutSeconds ?? 60) * 1000, concurrency });
  try {
    return await fetchWith(client, endpoint, options, concurrency);
  } finally {
    client.close();
  }
}

type Summary = ContainerListEntry;

async function fetchWith(client: EngineClient, endpoint: Endpoint, options: FetchOptions, concurrency: number): Promise<Fetched> {
  const notes: string[] = [];
  const all = options.all;
  const unreachable = (e: unknown) => engineUnreachable(endpoint, e);
  // Images in use and sprawl count every container, stopped ones too, whichever containers are audited.
  const wantsLists = options.images !== undefined || options.inventory === true;
  // An engine on this machine: its containers' processes are read from /proc while it answers, not after.
  const scanning = endpoint.local && options.containers !== false ? (options.processScan ?? scanContainerProcesses)() : undefined;

  let summaries: Summary[];
  let everyContainer: Summary[] = [];
  let imageList: ImageListEntry[] = [];
  let info: Record<string, unknown>;
  try {
    const [list, body, allList, images] = await Promise.all([
      client.get(`/containers/json?all=${all ? 1 : 0}`),
      client.get('/info'),
      wantsLists && !all ? client.get('/containers/json?all=1') : undefined,
      wantsLists ? client.get('/images/json') : undefined,
    ]);
    if (!Array.isArray(list) || typeof body !== 'object' || body === null) throw new Error('unexpected answer to /containers/json or /info (is this a Docker engine?)');
    if (wantsLists && (!Array.isArray(images) || (!all && !Array.isArray(allList)))) throw new Error('unexpected answer to /images/json or /containers/json (is this a Docker engine?)');
    summaries = list.filter((s): s is Summary => typeof (s as Summary)?.Id === 'string');
    if (wantsLists) {
      everyContainer = all ? summaries : (allList as unknown[]).filter((s): s is Summary => typeof (s as Summary)?.Id === 'string');
      imageList = (images as unknown[]).filter((i): i is ImageListEntry => typeof (i as ImageListEntry)?.Id === 'string');
    }
    info = body as Record<string, unknown>;
  } catch (e) {
    throw unreachable(e);
  }

  // The images of the audited containers (running ones, or every one with --all), or every image.
  let imagesFetch: Promise<FetchedImages> | undefined;
  // The images' code (exports, tar, gzip) is loaded only for the sections that need it.
  const imagesCode = options.images !== undefined || options.inventory ? await import('./images.js') : undefined;
  if (imagesCode && options.images !== undefined) {
    const used = new Set(summaries.map((s) => s.ImageID));
    const targets = options.images === 'all' ? imageList : imageList.filter((i) => used.has(i.Id));
    imagesFetch = imagesCode.fetchImages(client, targets, { concurrency, setuid: options.setuid ?? true }).catch((e: unknown) => {
      throw unreachable(e);
    });
    // Awaited below, after the containers: settle its failure now so it is never unhandled.
    imagesFetch.catch(() => undefined);
  }

  const toInspect = options.containers === false ? [] : summaries;
  const step = (options.progress ?? NO_PROGRESS).step('containers inspected', toInspect.length);
  let inspected = 0;
  const docs = await mapLimited(toInspect, concurrency, async (s) => {
    try {
      const doc = (await client.get(`/containers/${encodeURIComponent(s.Id)}/json`)) as InspectDoc;
      step.tick(++inspected);
      return doc;
    } catch (e) {
      if (e instanceof EngineHttpError && e.statusCode === 404) {
        notes.push(`container ${s.Names?.[0]?.replace(/^\//, '') ?? s.Id.slice(0, 12)} was removed during the audit; skipped`);
        return undefined;
      }
      throw unreachable(e);
    }
  });
  step.end();
  const present = docs.filter((d): d is InspectDoc => d !== undefined);
  const processes = await processesOf(client, present, concurrency, scanning);

  const containers: Container[] = [];
  for (const doc of present) {
    try {
      containers.push(containerFromInspect(doc, { kind: 'engine' }, processes.get(doc.Id)));
    } catch (e) {
      if (!(e instanceof InspectShapeError)) throw e;
      notes.push(`container ${String(doc?.Id).slice(0, 12)}: unexpected inspect document (${e.message}); skipped`);
    }
  }
  const images = await imagesFetch;
  if (images) notes.push(...images.notes);
  return {
    workload: { containers, daemon: daemonFromInfo(info) },
    info,
    notes,
    ...(images ? { images } : {}),
    ...(imagesCode && options.inventory ? { inventory: imagesCode.inventoryOf(imageList, everyContainer) } : {}),
  };
}

/** Each running container's processes: from the scan of /proc when the engine is on this machine, else (or for those it missed) from `GET /top`. */
async function processesOf(client: EngineClient, docs: readonly InspectDoc[], concurrency: number, scanning: Promise<readonly ContainerProcess[]> | undefined): Promise<Map<string, Process[]>> {
  const running = docs.filter((d) => d.State?.Running === true && typeof d.State.Pid === 'number' && d.State.Pid > 0);
  const local = scanning !== undefined && running.length > 0 && isLocalContainerPid(running[0]!.State!.Pid!, running[0]!.Id);
  const byId = local ? processesIn(await scanning, running.map((d) => d.Id)) : new Map<string, Process[]>();
  const missing = running.filter((d) => !byId.has(d.Id));
  await mapLimited(missing, concurrency, async (d) => {
    const top = await processesFromTop(client, d.Id);
    if (top) byId.set(d.Id, top);
  });
  return byId;
}

/** `GET /containers/{id}/top`: the engine runs `ps` on its host. Undefined when it cannot say. */
export async function processesFromTop(client: EngineClient, id: string): Promise<Process[] | undefined> {
  try {
    return processesFromTopBody(await client.get(`/containers/${encodeURIComponent(id)}/top`));
  } catch {
    return undefined;
  }
}

/** Reads the body of `GET /containers/{id}/top`: ps columns by title. */
export function processesFromTopBody(body: unknown): Process[] | undefined {
  const top = body as { Titles?: unknown; Processes?: unknown } | null;
  if (!top || !Array.isArray(top.Titles) || !Array.isArray(top.Processes)) return undefined;
  const titles = top.Titles.map(String);
  const pidCol = titles.indexOf('PID');
  const cmdCol = titles.findIndex((t) => t === 'CMD' || t === 'COMMAND');
  if (pidCol < 0 || cmdCol < 0) return undefined;
  return top.Processes.filter(Array.isArray).map((row: unknown[]) => ({ pid: Number(row[pidCol]), command: String(row[cmdCol] ?? '') }));
}

/** Daemon facts from the body of `GET /info`. */
export function daemonFromInfo(info: Record<string, unknown>): Daemon {
  const swarm = (info['Swarm'] as { LocalNodeState?: unknown } | undefined)?.LocalNodeState;
  const securityOptions = info['SecurityOptions'];
  return {
    name: String(info['Name'] ?? ''),
    serverVersion: String(info['ServerVersion'] ?? ''),
    swarm: typeof swarm === 'string' ? explicit(swarm, 'Swarm.LocalNodeState') : absent('Swarm.LocalNodeState'),
    securityOptions: Array.isArray(securityOptions)
      ? explicit(securityOptions.map(String), 'SecurityOptions')
      : absent('SecurityOptions'),
  };
}

/** The error of an engine that cannot be reached: where it was looked for, and why. */
export function engineUnreachable(endpoint: Endpoint, e: unknown): IncompleteError {
  return new IncompleteError(`cannot reach the Docker engine at ${endpoint.address} (from ${endpoint.from}): ${reason(e)}`);
}

/** Why the engine could not be reached, in one line a user can act on. */
export function reason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'ENOENT') return 'no such socket';
  if (err?.code === 'ECONNREFUSED') return 'connection refused';
  if (err?.code === 'EACCES') return 'permission denied (are you in the docker group, or root?)';
  return String(err?.message ?? e).split('\n')[0]!;
}
