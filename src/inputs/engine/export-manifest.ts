import { ScanError } from './scan-error.js';

/**
 * manifest.json of an image export (`docker save` layout): one entry per
 * image, each naming its config and its layers, oldest first. An export of
 * several images (`GET /images/get?names=A&names=B`) holds one entry per
 * image, whatever order or names they were asked by; an image asked by ID
 * has `RepoTags: null`, so entries are matched to the images asked for by
 * their config, whose digest is the image ID (`<hex>.json` as the classic
 * store writes it, `blobs/sha256/<hex>` in the OCI layout).
 */
export interface ManifestEntry {
  /** The image ID read from Config (`sha256:<hex>`), when it is one. */
  readonly id: string | undefined;
  /** Layer paths in the export, oldest first. */
  readonly layers: readonly string[];
}

/** More layers than any engine allows in one image (overlay2 stops at 128): past it the entry is refused, not resolved. */
export const MAX_LAYERS = 1000;

/** The entries of manifest.json; entries that are not an object with a list of layer paths are dropped. */
export function parseManifest(text: string): ManifestEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ScanError('manifest.json is not JSON');
  }
  if (!Array.isArray(parsed)) throw new ScanError('manifest.json is not a list of images');
  const entries: ManifestEntry[] = [];
  for (const item of parsed) {
    if (typeof item !== 'object' || item === null) continue;
    const { Config: config, Layers: layers } = item as { Config?: unknown; Layers?: unknown };
    if (!Array.isArray(layers) || layers.length > MAX_LAYERS || !layers.every((l) => typeof l === 'string')) continue;
    entries.push({ id: typeof config === 'string' ? configId(config) : undefined, layers: layers as string[] });
  }
  return entries;
}

function configId(config: string): string | undefined {
  const m = /^(?:\.\/)?(?:blobs\/sha256\/([0-9a-f]{64})|([0-9a-f]{64})\.json)$/.exec(config);
  return m ? `sha256:${m[1] ?? m[2]}` : undefined;
}

/**
 * The entry of each image asked for, by ID; undefined when none matches.
 * An export of one image whose one entry has another ID (an engine whose
 * image IDs are not config digests, as with the containerd store, where the
 * ID is the manifest's digest) still gives it that entry: it can be no other.
 */
export function matchEntries(entries: readonly ManifestEntry[], ids: readonly string[]): Map<string, ManifestEntry | undefined> {
  const byId = new Map<string, ManifestEntry>();
  // The first entry of an ID wins: an engine writes one per image.
  for (const e of entries) if (e.id !== undefined && !byId.has(e.id)) byId.set(e.id, e);
  const out = new Map<string, ManifestEntry | undefined>();
  for (const id of ids) out.set(id, byId.get(id));
  if (ids.length === 1 && entries.length === 1 && !out.get(ids[0]!)) out.set(ids[0]!, entries[0]);
  return out;
}
