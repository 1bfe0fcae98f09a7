import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

/**
 * Writes tar archives for the tests, as GNU tar and Go's archive/tar write
 * them: ustar headers, a pax `x` header or a GNU `L` entry for names past
 * 100 bytes. Used to make layers and image exports (`docker save` layout)
 * that the setuid scan reads, and the tars `docker import` turns into images.
 */
export interface TarFile {
  readonly name: string;
  /** '0' file (default), '1' hard link, '2' symlink, '5' directory. */
  readonly type?: '0' | '1' | '2' | '5';
  readonly mode?: number;
  readonly body?: Buffer | string;
  readonly linkName?: string;
  /** How a long name is written: a pax header (default) or a GNU long-name entry. */
  readonly longName?: 'pax' | 'gnu';
}

export function header(fields: { name: string; type: string; mode: number; size: number; linkName?: string; magic?: 'ustar' | 'gnu' }): Buffer {
  const h = Buffer.alloc(512);
  h.write(fields.name.slice(0, 100), 0, 'utf8');
  h.write(octal(fields.mode, 8), 100, 'latin1');
  h.write(octal(0, 8), 108, 'latin1');
  h.write(octal(0, 8), 116, 'latin1');
  h.write(octal(fields.size, 12), 124, 'latin1');
  h.write(octal(0, 12), 136, 'latin1');
  h.write(fields.type, 156, 'latin1');
  if (fields.linkName) h.write(fields.linkName.slice(0, 100), 157, 'utf8');
  h.write(fields.magic === 'gnu' ? 'ustar  \0' : 'ustar\x0000', 257, 'latin1');
  return withChecksum(h);
}

/** Sets the header's checksum field (after any change to it). */
export function withChecksum(h: Buffer): Buffer {
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return h;
}

function octal(n: number, width: number): string {
  return `${n.toString(8).padStart(width - 1, '0')}\0`;
}

function padded(body: Buffer): Buffer[] {
  const pad = (512 - (body.length % 512)) % 512;
  return pad ? [body, Buffer.alloc(pad)] : [body];
}

function paxRecord(key: string, value: string): string {
  // The record's length counts its own digits.
  const base = Buffer.byteLength(` ${key}=${value}\n`);
  let len = base + 1;
  while (base + String(len).length !== len) len = base + String(len).length;
  return `${len} ${key}=${value}\n`;
}

/** A tar archive of the entries, ended by two zero blocks (unless `end` is false). */
export function tarOf(entries: readonly TarFile[], options: { end?: boolean } = {}): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const body = typeof e.body === 'string' ? Buffer.from(e.body) : (e.body ?? Buffer.alloc(0));
    const type = e.type ?? '0';
    const hasBody = type === '0';
    if (Buffer.byteLength(e.name) > 100) {
      if (e.longName === 'gnu') {
        const long = Buffer.from(`${e.name}\0`);
        parts.push(header({ name: '././@LongLink', type: 'L', mode: 0, size: long.length, magic: 'gnu' }), ...padded(long));
      } else {
        const pax = Buffer.from(paxRecord('path', e.name));
        parts.push(header({ name: 'PaxHeaders/x', type: 'x', mode: 0o644, size: pax.length }), ...padded(pax));
      }
    }
    parts.push(header({ name: e.name, type, mode: e.mode ?? (type === '5' ? 0o755 : 0o644), size: hasBody ? body.length : 0, ...(e.linkName ? { linkName: e.linkName } : {}) }));
    if (hasBody && body.length) parts.push(...padded(body));
  }
  if (options.end !== false) parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

/**
 * An image export in `docker save`'s layout: one `<id>/layer.tar` per layer
 * (gzip-compressed when asked, as engines with the containerd store write
 * them), a config, and manifest.json naming the layers in order. The layer
 * folders are named so that their order in the archive is not the layer
 * order, as in real exports (sorted by hash).
 */
export function exportOf(layers: readonly Buffer[], options: { gzip?: boolean; manifest?: boolean } = {}): Buffer {
  const names = layers.map((_, i) => `${(layers.length - i).toString(16).padStart(64, 'a')}/layer.tar`);
  const entries: TarFile[] = [];
  [...layers.keys()].sort((a, b) => (names[a]! < names[b]! ? -1 : 1)).forEach((i) => {
    entries.push({ name: names[i]!.replace('/layer.tar', '/'), type: '5' });
    entries.push({ name: names[i]!, body: options.gzip ? gzipSync(layers[i]!) : layers[i]! });
  });
  entries.push({ name: 'c0ffee.json', body: JSON.stringify({ rootfs: { type: 'layers' } }) });
  if (options.manifest !== false) entries.push({ name: 'manifest.json', body: JSON.stringify([{ Config: 'c0ffee.json', RepoTags: null, Layers: names }]) });
  return tarOf(entries);
}

export interface SavedImage {
  /** The image ID, `sha256:<hex>`: its config is written as `<hex>.json`. */
  readonly id: string;
  readonly layers: readonly Buffer[];
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/**
 * An export of several images as the classic store writes one for `GET
 * /images/get?names=A&names=B` (seen from dockerd 20.10): a folder per
 * layer of each image, named by a hash, all sorted by name; a layer whose
 * content an earlier folder holds is written once and linked
 * (`layer.tar -> ../<that folder>/layer.tar`), and the link may come
 * before its target; one manifest entry per image, Config `<hex>.json`,
 * RepoTags null (images asked by ID). `manifest` replaces manifest.json's
 * content, for hostile ones.
 */
export function exportOfImages(images: readonly SavedImage[], options: { gzip?: boolean; manifest?: unknown } = {}): Buffer {
  const folders = new Map<string, { body?: Buffer; link?: string }>();
  const firstFolder = new Map<string, string>();
  const manifest = images.map((image) => {
    const layers = image.layers.map((layer, i) => {
      const folder = sha256(`${image.id}/${i}`);
      const content = sha256(layer);
      const first = firstFolder.get(content);
      if (first === undefined) {
        firstFolder.set(content, folder);
        folders.set(folder, { body: options.gzip ? gzipSync(layer) : layer });
      } else folders.set(folder, { link: `../${first}/layer.tar` });
      return `${folder}/layer.tar`;
    });
    return { Config: `${image.id.replace(/^sha256:/, '')}.json`, RepoTags: null, Layers: layers };
  });
  const entries: TarFile[] = [];
  for (const image of images) entries.push({ name: `${image.id.replace(/^sha256:/, '')}.json`, body: JSON.stringify({ rootfs: { type: 'layers' } }) });
  for (const [folder, layer] of folders) {
    entries.push({ name: `${folder}/`, type: '5' });
    entries.push(layer.link ? { name: `${folder}/layer.tar`, type: '2', mode: 0o777, linkName: layer.link } : { name: `${folder}/layer.tar`, body: layer.body! });
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  entries.push({ name: 'manifest.json', body: JSON.stringify(options.manifest ?? manifest) });
  return tarOf(entries);
}

/** An image ID made from a word, for tests. */
export const imageId = (word: string) => `sha256:${sha256(word)}`;

/** Feeds a buffer in pieces of `size` bytes, as a socket would. */
export async function* piecesOf(buffer: Buffer, size = 4096): AsyncGenerator<Buffer> {
  for (let at = 0; at < buffer.length; at += size) yield buffer.subarray(at, at + size);
}
