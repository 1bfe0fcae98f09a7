import type { Build } from '../../model/build.js';
import type { Container } from '../../model/container.js';
import type { ContainerSummary, Image, ImageSummary, Inventory } from '../../model/image.js';
import type { Subject } from '../../model/subject.js';
import { EngineHttpError, type EngineClient } from './client.js';
import { mapLimited } from './concurrency.js';
import { containerOfImage } from './image-config.js';
import { buildOfHistory, type HistoryEntry } from './image-history.js';
import { scanImages, type Scan } from './export-batches.js';

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

/**
 * Images asked for in one export (`GET /images/get?names=…`): the engine
 * writes a layer shared by several of them once, where an export per image
 * wrote it once per image. On the vfs driver, 50 images committed from one
 * base: one export of all 50 took the images section from 1.80 s to 0.57 s;
 * two exports of 25 at once, 0.58 s; four of 13, 0.66 s; one per image,
 * 1.59 s. The cap keeps a request's URL, its time allowance and the paths
 * its layers hold (MAX_PATHS is per export) within reason.
 */
const SCAN_BATCH = 64;
/** Exports run this many at a time (past SCAN_BATCH images): each is a long stream, and reading it keeps a core busy. */
const SCAN_CONCURRENCY = 2;
/** An export still running after this long per image it holds is abandoned (a note, not a crash). */
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
 * build rules) and, when `setuid` is set, its set-id files, streamed from
 * exports of up to SCAN_BATCH images each (the slow part; see
 * export-batches.ts). An image removed meanwhile, an export that fails or
 * takes too long: a note, and the rest goes on.
 */
export async function fetchImages(
  client: EngineClient,
  targets: readonly ImageListEntry[],
  options: { concurrency: number; setuid: boolean; scanTimeoutMs?: number; scanConcurrency?: number; scanBatch?: number },
): Promise<FetchedImages> {
  const notes: string[] = [];
  const scans = options.setuid
    ? scanImages(
        client,
        targets.map((t) => t.Id),
        { batch: options.scanBatch ?? SCAN_BATCH, concurrency: options.scanConcurrency ?? SCAN_CONCURRENCY, timeoutMs: options.scanTimeoutMs ?? SCAN_TIMEOUT_MS },
      )
    : Promise.resolve(new Map<string, Scan>());
  const [docs, setuid] = await Promise.all([mapLimited(targets, options.concurrency, (t) => inspectImage(client, t, notes)), scans]);

  const images: Image[] = [];
  const containers: Container[] = [];
  const builds: Build[] = [];
  /** Images whose set-id files could not be read, by why: one note for the images of a failed export. */
  const unread = new Map<string, string[]>();
  targets.forEach((t, k) => {
    const doc = docs[k];
    if (!doc) return;
    const subject: Subject = { kind: 'image', name: imageName(t), id: t.Id };
    // An image that is gone has its note already; its failed export needs none.
    const scan = setuid.get(t.Id);
    if (scan && 'why' in scan) unread.set(scan.why, [...(unread.get(scan.why) ?? []), subject.name]);
    const files = scan && 'files' in scan ? scan.files : undefined;
    images.push({ subject, id: t.Id, tags: (t.RepoTags ?? []).filter((x) => x !== '<none>:<none>'), ...(files ? { setuidFiles: files } : {}) });
    containers.push(containerOfImage(doc.config, subject));
    const history = buildOfHistory(doc.history, subject);
    notes.push(...history.notes);
    if (history.build) builds.push(history.build);
  });
  for (const [why, names] of unread) notes.push(`${names.length === 1 ? 'image' : 'images'} ${names.join(', ')}: setuid/setgid files not checked: ${why}`);
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
