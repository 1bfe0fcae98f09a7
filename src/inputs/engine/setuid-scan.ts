import { once } from 'node:events';
import { posix } from 'node:path';
import { createGunzip } from 'node:zlib';
import { finished } from 'node:stream/promises';
import { parseManifest, type ManifestEntry } from './export-manifest.js';
import { LayerError, ScanError } from './scan-error.js';
import { looksLikeTar, TarError, TarReader, type BodySink, type TarEntry } from './tar.js';

export { ScanError } from './scan-error.js';

/**
 * Finds the setuid and setgid files of images from their export (`GET
 * /images/{name}/get`, or `GET /images/get?names=A&names=B` for several: a
 * tar holding manifest.json and one tar per layer, gzip-compressed or not,
 * each layer once however many images share it), streaming: the outer tar
 * is read as it arrives, each layer tar inside it too (through gunzip when
 * compressed), and only headers are looked at. Nothing is written to disk
 * and no layer is held in memory.
 *
 * The export's entries come in no useful order (the engine writes layer
 * folders or blobs sorted by hash, and manifest.json, which gives the layer
 * order, last), so each layer's facts are kept until the end: its setuid
 * files, its whiteouts, and a 52-bit hash of every path it holds (8 bytes a
 * path, not the path itself). Then each image's layers are applied in its
 * own order, as the engine does: a file deleted by a later layer's whiteout
 * (`.wh.NAME`, `.wh..wh..opq`), hidden by a later file where one of its
 * folders was, or written again by a later layer without the bit (`chmod
 * u-s`) is not reported.
 *
 * A layer that cannot be read (zstd, damaged inside) is skipped and marks
 * only the images built on it; damage to the export itself (the outer tar,
 * manifest.json, a limit passed) fails the whole read.
 */

export interface SetuidFile {
  /** Absolute path inside the image. */
  readonly path: string;
  /** Permission bits, set-id bits included (e.g. 0o4755). */
  readonly mode: number;
}

/** Each image's result: its set-id files, or why they could not be read. */
export type ImageScan = { readonly files: SetuidFile[] } | { readonly problem: string };

/** An export once read: its manifest entries, and a way to resolve each one. */
export interface ExportContents {
  readonly entries: readonly ManifestEntry[];
  resolve(entry: ManifestEntry): ImageScan;
}

/** At most this many paths over all the layers of an export (8 bytes each): past it the scan gives up rather than grow. */
const MAX_PATHS = 4_000_000;
/** manifest.json is read whole; a real one is a few hundred bytes a layer. */
const MAX_MANIFEST = 4 * 1024 * 1024;
/** Whiteouts kept over all layers. */
const MAX_WHITEOUTS = 1_000_000;

const SET_ID = 0o6000;

/** The set-id files of the (first) image of an export; a ScanError when they cannot be read. */
export async function scanExport(body: AsyncIterable<Buffer>): Promise<SetuidFile[]> {
  const contents = await readExport(body);
  const first = contents.entries[0];
  if (!first) throw new ScanError('manifest.json lists no layers');
  const scan = contents.resolve(first);
  if ('problem' in scan) throw new ScanError(scan.problem);
  return scan.files;
}

export async function readExport(body: AsyncIterable<Buffer>): Promise<ExportContents> {
  const layers = new Map<string, LayerFacts>();
  /** Links between entries: the engine writes a layer shared by several images once, and links the others to it. */
  const links = new Map<string, string>();
  const budget = { paths: MAX_PATHS, whiteouts: MAX_WHITEOUTS };
  let manifestText: string | undefined;
  /** What to do when the current entry's body is complete. */
  let ending: (() => void | Promise<void>) | undefined;

  const outer = new TarReader({
    entry(e: TarEntry): BodySink | undefined {
      const name = exportPath(e.name);
      // `<v1id>/layer.tar -> ../<other>/layer.tar`: a symlink is relative to its folder, a hard link to the archive's root.
      if (e.type === '2') links.set(name, exportPath(posix.join(posix.dirname(name), e.linkName)));
      if (e.type === '1') links.set(name, exportPath(e.linkName));
      if (e.type !== '0' && e.type !== '7') return undefined;
      if (name === 'manifest.json') {
        if (e.size > MAX_MANIFEST) throw new ScanError(`manifest.json of ${e.size} bytes: refused`);
        const pieces: Buffer[] = [];
        ending = () => {
          manifestText = Buffer.concat(pieces).toString('utf8');
        };
        return (piece) => {
          pieces.push(Buffer.from(piece));
        };
      }
      if (e.size === 0) return undefined;
      const facts = new LayerFacts(budget);
      const layer = layerSink(name, facts);
      ending = async () => {
        if (await layer.end()) layers.set(name, facts);
      };
      return layer.sink;
    },
    entryEnd() {
      const end = ending;
      ending = undefined;
      return end?.();
    },
  });

  for await (const chunk of body) await outer.push(chunk);
  outer.end();

  if (manifestText === undefined) throw new ScanError('the export has no manifest.json: the layer order is unknown');
  return {
    entries: parseManifest(manifestText),
    resolve(entry) {
      const ordered: LayerFacts[] = [];
      for (const path of entry.layers) {
        const facts = layers.get(followLinks(links, exportPath(path)));
        if (!facts) return { problem: `layer ${path} named in manifest.json is not in the export` };
        if (facts.problem !== undefined) return { problem: facts.problem };
        ordered.push(facts);
      }
      return { files: resolve(ordered) };
    },
  };
}

/** Where a path lands through the export's links (a few hops at most: a loop ends, unresolved). */
function followLinks(links: ReadonlyMap<string, string>, path: string): string {
  for (let hop = 0; hop < 8; hop++) {
    const to = links.get(path);
    if (to === undefined) return path;
    path = to;
  }
  return path;
}

/** An entry of the export by its path, as manifest.json names it. */
function exportPath(name: string): string {
  return posix.normalize(name).replace(/^(\.\/)+/, '');
}

/**
 * Reads one entry of the export that may be a layer: its first block says
 * what it is (gzip, zstd, a tar header, or something else such as the
 * image's config). `end` says whether it was a layer.
 */
function layerSink(name: string, facts: LayerFacts): { sink: BodySink; end: () => Promise<boolean> } {
  let head: Buffer[] = [];
  let headSize = 0;
  let pipe: Pipe | undefined;
  let other = false;
  const start = async (first: Buffer) => {
    if (first[0] === 0x1f && first[1] === 0x8b) pipe = gunzipInto(facts, name);
    else if (first[0] === 0x28 && first[1] === 0xb5 && first[2] === 0x2f && first[3] === 0xfd) throw new LayerError(`layer ${name} is zstd-compressed, which this Node.js cannot read`);
    else if (looksLikeTar(first)) pipe = plainInto(facts, name);
    else {
      other = true;
      return;
    }
    await pipe.feed(first);
  };
  /** A fault of the layer itself becomes its problem, and the rest of its bytes are skipped: the other layers of the export are still read. */
  const step = async (work: () => Promise<void>) => {
    if (facts.problem !== undefined) return;
    try {
      await work();
    } catch (e) {
      if (e instanceof LayerError) facts.problem = e.message;
      else if (e instanceof TarError) facts.problem = `layer ${name}: ${e.message}`;
      else throw e;
      pipe?.abort();
    }
  };
  return {
    sink: (piece) =>
      step(async () => {
        if (other) return;
        if (pipe) return pipe.feed(piece);
        head.push(Buffer.from(piece));
        headSize += piece.length;
        if (headSize < 512) return;
        const first = Buffer.concat(head, headSize);
        head = [];
        await start(first);
      }),
    end: async () => {
      await step(async () => {
        if (!pipe && !other) await start(Buffer.concat(head, headSize));
        await pipe?.close();
      });
      return pipe !== undefined || facts.problem !== undefined;
    },
  };
}

type Pipe = { feed: (piece: Buffer) => Promise<void>; close: () => Promise<void>; abort: () => void };

function plainInto(facts: LayerFacts, name: string): Pipe {
  const inner = layerReader(facts);
  return {
    feed: (piece) => inner.push(piece),
    close: async () => finishLayer(inner, name),
    abort: () => undefined,
  };
}

/** A gzip-compressed layer: bytes go through gunzip (waiting when it is full), its output into the layer's tar reader. */
function gunzipInto(facts: LayerFacts, name: string): Pipe {
  const inner = layerReader(facts);
  const gunzip = createGunzip();
  let chain: Promise<void> = Promise.resolve();
  let failure: unknown;
  gunzip.on('data', (out: Buffer) => {
    chain = chain.then(() => (failure || inner.finished ? undefined : inner.push(out))).catch((e: unknown) => {
      failure ??= e;
    });
  });
  const ended = finished(gunzip).catch((e: unknown) => {
    failure ??= new LayerError(`layer ${name}: ${(e as Error).message}`);
  });
  return {
    feed: async (piece) => {
      if (failure) throw failure;
      if (!gunzip.write(piece)) await Promise.race([once(gunzip, 'drain'), ended]);
      await chain;
      if (failure) throw failure;
    },
    close: async () => {
      gunzip.end();
      await ended;
      await chain;
      if (failure) throw failure;
      finishLayer(inner, name);
    },
    abort: () => gunzip.destroy(),
  };
}

function finishLayer(inner: TarReader, name: string): void {
  try {
    inner.end();
  } catch (e) {
    if (e instanceof TarError) throw new LayerError(`layer ${name}: ${e.message}`);
    throw e;
  }
}

function layerReader(facts: LayerFacts): TarReader {
  return new TarReader({
    entry(e) {
      facts.add(e);
      return undefined;
    },
  });
}

/** Where a layer entry lands, as the engine applies it: joined to /, `..` stopped at the root. */
export function layerPath(name: string): string {
  const p = posix.normalize(`/${name}`);
  return p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p;
}

/** What one layer says about the paths the check needs. */
class LayerFacts {
  /** Why the layer could not be read, when it could not: the images built on it are not checked. */
  problem: string | undefined;
  readonly setuid = new Map<string, number>();
  /** Paths this layer deletes from the layers below (`.wh.NAME`). */
  readonly whiteouts = new Set<string>();
  /** Folders whose lower contents this layer hides (`.wh..wh..opq`). */
  readonly opaque = new Set<string>();
  private readonly all = new PathHashes();
  private readonly nonDirs = new PathHashes();

  constructor(private readonly budget: { paths: number; whiteouts: number }) {}

  add(e: TarEntry): void {
    const path = layerPath(e.name);
    if (path === '/') return;
    const base = posix.basename(path);
    if (base.startsWith('.wh.')) {
      if (--this.budget.whiteouts < 0) throw new ScanError(`more than ${MAX_WHITEOUTS} whiteouts: refused`);
      const dir = posix.dirname(path);
      if (base === '.wh..wh..opq') this.opaque.add(dir);
      else if (!base.startsWith('.wh..wh.')) this.whiteouts.add(posix.join(dir, base.slice(4)));
      return;
    }
    if (--this.budget.paths < 0) throw new ScanError(`more than ${MAX_PATHS} files: refused`);
    this.all.add(path);
    if (e.type !== '5') this.nonDirs.add(path);
    const regular = e.type === '0' || e.type === '7' || e.type === '1';
    if (regular && (e.mode & SET_ID) !== 0) this.setuid.set(path, e.mode);
    else this.setuid.delete(path);
  }

  /** True when the layer removes or hides `path` as it was in the layers below. */
  hides(path: string): boolean {
    if (this.whiteouts.has(path)) return true;
    for (let dir = posix.dirname(path); ; dir = posix.dirname(dir)) {
      if (this.opaque.has(dir) || this.whiteouts.has(dir)) return true;
      if (dir === '/') return false;
      if (this.nonDirs.has(dir)) return true;
    }
  }

  /** True when the layer has an entry at `path` (hash match; see PathHashes). */
  holds(path: string): boolean {
    return this.all.has(path);
  }
}

/** The set-id files of the image the layers make, oldest layer first. */
function resolve(layers: readonly LayerFacts[]): SetuidFile[] {
  const candidates = new Set<string>();
  for (const l of layers) for (const p of l.setuid.keys()) candidates.add(p);
  const out: SetuidFile[] = [];
  for (const path of candidates) {
    let mode: number | undefined;
    for (const l of layers) {
      if (l.hides(path)) mode = undefined;
      const m = l.setuid.get(path);
      if (m !== undefined) mode = m;
      else if (l.holds(path)) mode = undefined;
    }
    if (mode !== undefined) out.push({ path, mode });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * A set of paths kept as 52-bit hashes (two 32-bit FNV-1a variants), 8
 * bytes each: a layer of a million files costs 8 MB, not 100. A false match
 * needs two paths of one image to agree on 52 bits; it would only make a
 * set-id file look overwritten.
 */
class PathHashes {
  private values = new Float64Array(256);
  private size = 0;
  private sorted = true;

  add(path: string): void {
    if (this.size === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.size++] = hash52(path);
    this.sorted = false;
  }

  has(path: string): boolean {
    if (!this.sorted) {
      this.values = this.values.slice(0, this.size).sort();
      this.sorted = true;
    }
    const h = hash52(path);
    let lo = 0;
    let hi = this.size - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.values[mid]!;
      if (v === h) return true;
      if (v < h) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }
}

function hash52(s: string): number {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return (a >>> 0) * 0x100000 + ((b >>> 0) & 0xfffff);
}
