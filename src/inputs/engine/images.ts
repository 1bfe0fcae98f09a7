import type { Build } from '../../model/build.js';
import type { Container } from '../../model/container.js';
import type { ContainerSummary, Image, ImageSummary, Inventory } from '../../model/image.js';
import type { Subject } from '../../model/subject.js';
import { EngineHttpError, type EngineClient } from './client.js';
import { mapLimited } from './concurrency.js';
import { containerOfImage } from './image-config.js';
import { buildOfHistory, type HistoryEntry } from './image-history.js';
import { scanExport, ScanError, type SetuidFile } from './setuid-scan.js';
import { TarError } from './tar.js';

/** One entry of `GET /images/json`. */
export interface ImageListEntry {
  readonly Id: string;
  readonly RepoTags?: readonly string[] | null;
  readonly Size?: number;
}

/** One entry of `GET /containers/json?all=1`. */
export interface ContainerListEntry {
  readonly Id: string;
  readonly Names?: readonly string[];
  readonly ImageID?: string;
  readonly State?: string;
}

/** Image exports run this many at a time: each is a long stream, and reading it keeps a core busy. */
const SCAN_CONCURRENCY = 2;
/** An export still running after this long is abandoned (a note, not a crash). */
export const SCAN_TIMEOUT_MS = 120_000;

export interface FetchedImages {
  readonly images: Image[];
  /** Each image's configuration, for the runtime rules. */
  readonly containers: Container[];
  /** Each image's history, for the build rules. */
  readonly builds: Build[];
  readonly notes: string[];
}

/** The name an image is shown by: its first tag, else its short id. */
export function imageName(entry: { Id: string; RepoTags?: readonly string[] | null }): string {
  const tag = entry.RepoTags?.find((t) => t !== '<none>:<none>');
  return tag ?? entry.Id.replace(/^sha256:/, '').slice(0, 12);
}

/** Every image and container the engine keeps, with how many containers use each image. */
export function inventoryOf(images: readonly ImageListEntry[], containers: readonly ContainerListEntry[]): Inventory {
  const uses = new Map<string, number>();
  for (const c of containers) if (c.ImageID) uses.set(c.ImageID, (uses.get(c.ImageID) ?? 0) + 1);
  return {
    images: images.map((i): ImageSummary => ({ id: i.Id, name: imageName(i), size: typeof i.Size === 'number' ? i.Size : 0, containers: uses.get(i.Id) ?? 0 })),
    containers: containers.map((c): ContainerSummary => ({ id: c.Id, name: c.Names?.[0]?.replace(/^\//, '') ?? c.Id.slice(0, 12), state: c.State ?? '' })),
  };
}

/**
 * The images to audit, each read three ways, with bounded concurrency: its
 * inspect document (Config, for the runtime rules), its history (for the
 * build rules) and, when `setuid` is set, its export streamed for set-id
 * files (the slow part, at most SCAN_CONCURRENCY at once, each with its own
 * connection). An image removed meanwhile, an export that fails or takes
 * too long: a note, and the rest goes on.
 */
export async function fetchImages(
  client: EngineClient,
  targets: readonly ImageListEntry[],
  options: { concurrency: number; setuid: boolean; scanTimeoutMs?: number; scanConcurrency?: number },
): Promise<FetchedImages> {
  const notes: string[] = [];
  const scans = options.setuid
    ? mapLimited(targets, options.scanConcurrency ?? SCAN_CONCURRENCY, (t) => scanImage(client, t, options.scanTimeoutMs ?? SCAN_TIMEOUT_MS))
    : Promise.resolve(targets.map((): Scan => ({})));
  const [docs, setuid] = await Promise.all([mapLimited(targets, options.concurrency, (t) => inspectImage(client, t, notes)), scans]);

  const images: Image[] = [];
  const containers: Container[] = [];
  const builds: Build[] = [];
  targets.forEach((t, k) => {
    const doc = docs[k];
    if (!doc) return;
    const subject: Subject = { kind: 'image', name: imageName(t), id: t.Id };
    // An image that is gone has its note already; its failed export needs none.
    const { files, note } = setuid[k]!;
    if (note) notes.push(note);
    images.push({ subject, id: t.Id, tags: (t.RepoTags ?? []).filter((x) => x !== '<none>:<none>'), ...(files ? { setuidFiles: files } : {}) });
    containers.push(containerOfImage(doc.config, subject));
    const history = buildOfHistory(doc.history, subject);
    notes.push(...history.notes);
    if (history.build) builds.push(history.build);
  });
  return { images, containers, builds, notes };
}

async function inspectImage(client: EngineClient, t: ImageListEntry, notes: string[]): Promise<{ config: Record<string, unknown>; history: HistoryEntry[] } | undefined> {
  const id = encodeURIComponent(t.Id);
  try {
    const [doc, history] = await Promise.all([client.get(`/images/${id}/json`), client.get(`/images/${id}/history`)]);
    const config = (doc as { Config?: unknown } | null)?.Config;
    return {
      config: typeof config === 'object' && config !== null && !Array.isArray(config) ? (config as Record<string, unknown>) : {},
      history: Array.isArray(history) ? (history as HistoryEntry[]) : [],
    };
  } catch (e) {
    if (e instanceof EngineHttpError && e.statusCode === 404) {
      notes.push(`image ${imageName(t)} was removed during the audit; skipped`);
      return undefined;
    }
    throw e;
  }
}

/** The set-id files of an image, or why they could not be read. */
type Scan = { readonly files?: SetuidFile[]; readonly note?: string };

async function scanImage(client: EngineClient, t: ImageListEntry, timeoutMs: number): Promise<Scan> {
  const name = imageName(t);
  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;
  let stream: Awaited<ReturnType<EngineClient['stream']>> | undefined;
  try {
    stream = await client.stream(`/images/${encodeURIComponent(t.Id)}/get`);
    const open = stream;
    timer = setTimeout(() => {
      timedOut = true;
      open.cancel();
    }, timeoutMs);
    return { files: await scanExport(stream.body) };
  } catch (e) {
    const why = timedOut ? `stopped after ${Math.round(timeoutMs / 1000)} s` : e instanceof ScanError || e instanceof TarError ? e.message : `the export failed (${firstLine(e)})`;
    return { note: `image ${name}: setuid/setgid files not checked: ${why}` };
  } finally {
    clearTimeout(timer);
    stream?.cancel();
  }
}

function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0]!;
}
