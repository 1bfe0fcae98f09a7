import type { EngineClient } from './client.js';
import { mapLimited } from './concurrency.js';
import { matchEntries } from './export-manifest.js';
import { readExport, ScanError, type ImageScan, type SetuidFile } from './setuid-scan.js';
import { TarError } from './tar.js';

/** The set-id files of an image, or why they could not be read. */
export type Scan = { readonly files: SetuidFile[] } | { readonly why: string };

export interface BatchOptions {
  /** Images asked for in one export. */
  readonly batch: number;
  /** Exports in flight at once. */
  readonly concurrency: number;
  /** Time allowed per image of an export: an export of n images may run n times this. */
  readonly timeoutMs: number;
}

/**
 * The set-id files of each image (by ID), read from exports of several
 * images at once (`GET /images/get?names=A&names=B`): the engine writes each
 * layer once per export, not once per image that has it. Images are asked
 * for by ID; each manifest entry is matched back to its image by its
 * config's digest (see matchEntries).
 *
 * An export that fails as a whole (an image removed since it was listed
 * makes the engine refuse them all; a damaged archive) is asked again in
 * halves, so one bad image costs a few more exports and hides nothing else;
 * an image alone whose export fails gets the reason. An export that ran out
 * of time is not asked again: its halves would take as long. An image the
 * manifest has no entry for is asked alone.
 */
export async function scanImages(client: EngineClient, ids: readonly string[], options: BatchOptions): Promise<Map<string, Scan>> {
  const unique = [...new Set(ids)];
  const count = Math.ceil(unique.length / options.batch);
  // Batches of even size: 65 images are two exports of 33 and 32, not 64 and 1.
  const batches = Array.from({ length: count }, (_, k) => unique.slice(Math.floor((k * unique.length) / count), Math.floor(((k + 1) * unique.length) / count)));
  const results = new Map<string, Scan>();
  await mapLimited(batches, options.concurrency, async (batch) => {
    for (const [id, scan] of await scanBatch(client, batch, options.timeoutMs)) results.set(id, scan);
  });
  return results;
}

async function scanBatch(client: EngineClient, ids: readonly string[], timeoutMs: number): Promise<Map<string, Scan>> {
  const read = await exportOf(client, ids, timeoutMs);
  if ('why' in read) {
    if (ids.length === 1 || read.timedOut) return new Map(ids.map((id) => [id, { why: read.why }]));
    const half = Math.ceil(ids.length / 2);
    return new Map([...(await scanBatch(client, ids.slice(0, half), timeoutMs)), ...(await scanBatch(client, ids.slice(half), timeoutMs))]);
  }
  const out = new Map<string, Scan>();
  for (const [id, scan] of read.scans) {
    if (scan) out.set(id, 'problem' in scan ? { why: scan.problem } : scan);
    else if (ids.length > 1) for (const [k, v] of await scanBatch(client, [id], timeoutMs)) out.set(k, v);
    else out.set(id, { why: 'manifest.json has no entry for it' });
  }
  return out;
}

type Read = { readonly scans: Map<string, ImageScan | undefined> } | { readonly why: string; readonly timedOut: boolean };

/** One export of the images, read: each image's result (undefined when the manifest has no entry for it), or why the export as a whole failed. */
async function exportOf(client: EngineClient, ids: readonly string[], timeoutMs: number): Promise<Read> {
  const allowed = timeoutMs * ids.length;
  const deadline = Date.now() + allowed;
  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;
  let stream: Awaited<ReturnType<EngineClient['stream']>> | undefined;
  try {
    stream = await client.stream(`/images/get?${ids.map((id) => `names=${encodeURIComponent(id)}`).join('&')}`);
    const open = stream;
    // The timer ends an export that stalls; the check on each piece ends one that streams past its time.
    timer = setTimeout(() => {
      timedOut = true;
      open.cancel();
    }, allowed);
    const body = async function* () {
      for await (const piece of open.body) {
        if (Date.now() >= deadline) {
          timedOut = true;
          throw new Error('time is up');
        }
        yield piece;
      }
    };
    const contents = await readExport(body());
    const entries = matchEntries(contents.entries, ids);
    return { scans: new Map([...entries].map(([id, entry]) => [id, entry && contents.resolve(entry)])) };
  } catch (e) {
    const why = timedOut ? `stopped after ${Math.round(allowed / 1000)} s` : e instanceof ScanError || e instanceof TarError ? e.message : `the export failed (${firstLine(e)})`;
    return { why, timedOut };
  } finally {
    clearTimeout(timer);
    stream?.cancel();
  }
}

function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0]!;
}
