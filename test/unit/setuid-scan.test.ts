/**
 * The setuid scan of image exports: layers applied in manifest order with
 * whiteouts and rewrites, every tar dialect an engine writes, and hostile
 * input (truncated, huge sizes, traversal names, random damage), which must
 * end in a ScanError/TarError or a result: never a crash, a hang, or memory
 * that grows with the size of the layers.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createGzip } from 'node:zlib';
import fc from 'fast-check';
import { readExport, scanExport, ScanError, type ImageScan } from '../../src/inputs/engine/setuid-scan.js';
import { matchEntries, MAX_LAYERS } from '../../src/inputs/engine/export-manifest.js';
import { TarError, TarReader } from '../../src/inputs/engine/tar.js';
import { exportOf, exportOfImages, header, imageId, piecesOf, tarOf, withChecksum, type SavedImage } from '../support/tar.js';

const scan = (buffer: Buffer, piece?: number) => scanExport(piecesOf(buffer, piece));
const found = async (buffer: Buffer, piece?: number) => (await scan(buffer, piece)).map((f) => `${f.path} ${f.mode.toString(8)}`);

const base = tarOf([
  { name: 'bin/', type: '5' },
  { name: 'bin/su', mode: 0o4755, body: 'su' },
  { name: 'bin/ls', mode: 0o755, body: 'ls' },
  { name: 'usr/bin/wall', mode: 0o2755, body: 'wall' },
  { name: 'opt/tool/helper', mode: 0o6711, body: 'helper' },
]);

test('the writer makes archives GNU tar reads', () => {
  const listing = execFileSync('tar', ['-tvf', '-'], { input: base, encoding: 'utf8' });
  assert.match(listing, /-rwsr-xr-x .* bin\/su/);
  assert.match(listing, /-rwxr-sr-x .* usr\/bin\/wall/);
});

test('set-id files of a single layer are found, with their modes; plain files are not', async () => {
  assert.deepEqual(await found(exportOf([base])), ['/bin/su 4755', '/opt/tool/helper 6711', '/usr/bin/wall 2755']);
  assert.deepEqual(await found(exportOf([tarOf([{ name: 'bin/ls', mode: 0o755, body: 'ls' }])])), []);
});

test('later layers remove set-id files: whiteout, opaque folder, rewrite without the bit, a file where a folder was', async () => {
  const fix = tarOf([
    { name: 'bin/.wh.su', body: '' },
    { name: 'usr/bin/wall', mode: 0o755, body: 'wall' },
    { name: 'opt/tool/', type: '5' },
    { name: 'opt/tool/.wh..wh..opq', body: '' },
  ]);
  assert.deepEqual(await found(exportOf([base, fix])), []);
  const folderReplaced = tarOf([{ name: 'opt', mode: 0o644, body: 'now a file' }]);
  assert.deepEqual(await found(exportOf([base, folderReplaced])), ['/bin/su 4755', '/usr/bin/wall 2755']);
  const wholeFolder = tarOf([{ name: '.wh.usr', body: '' }]);
  assert.deepEqual(await found(exportOf([base, wholeFolder])), ['/bin/su 4755', '/opt/tool/helper 6711']);
});

test('the manifest order decides, not the order of the layers in the export', async () => {
  const remove = tarOf([{ name: 'bin/.wh.su', body: '' }]);
  const readd = tarOf([{ name: 'bin/su', mode: 0o4750, body: 'su again' }]);
  // exportOf writes the layers in reverse lexical order of their folders: the last layer comes first.
  assert.deepEqual(await found(exportOf([base, remove, readd])), ['/bin/su 4750', '/opt/tool/helper 6711', '/usr/bin/wall 2755']);
  assert.deepEqual(await found(exportOf([base, readd, remove])), ['/opt/tool/helper 6711', '/usr/bin/wall 2755']);
  // Within an opaque folder, the opaque layer's own files stay.
  const opaqueWithOwn = tarOf([{ name: 'bin/.wh..wh..opq', body: '' }, { name: 'bin/newgrp', mode: 0o4755, body: 'x' }]);
  assert.deepEqual(await found(exportOf([base, opaqueWithOwn])), ['/bin/newgrp 4755', '/opt/tool/helper 6711', '/usr/bin/wall 2755']);
});

test('gzip-compressed layers, pax and GNU long names, hard links, any piece size', async () => {
  const long = `usr/lib/${'deep/'.repeat(40)}suid-helper`;
  const layer = tarOf([
    { name: long, mode: 0o4755, body: 'a' },
    { name: `opt/${'x'.repeat(120)}`, mode: 0o2755, body: 'b', longName: 'gnu' },
    { name: 'bin/su2', type: '1', mode: 0o4755, linkName: 'bin/su' },
    { name: 'bin/link', type: '2', mode: 0o4777, linkName: 'su' },
  ]);
  const expected = ['/bin/su2 4755', `/opt/${'x'.repeat(120)} 2755`, `/${long} 4755`];
  for (const piece of [1, 7, 512, 65536]) {
    assert.deepEqual(await found(exportOf([layer], { gzip: true }), piece), expected, `pieces of ${piece}`);
  }
  assert.deepEqual(await found(exportOf([layer])), expected);
});

test('names that climb out of the root land inside it, as the engine applies them', async () => {
  const layer = tarOf([
    { name: '../../../etc/evil', mode: 0o4755, body: 'x' },
    { name: './usr/../bin/./odd', mode: 0o4755, body: 'x' },
    { name: '/abs/setgid', mode: 0o2755, body: 'x' },
  ]);
  assert.deepEqual(await found(exportOf([layer])), ['/abs/setgid 2755', '/bin/odd 4755', '/etc/evil 4755']);
});

test('no manifest, or a layer it names missing: a ScanError', async () => {
  await assert.rejects(scan(exportOf([base], { manifest: false })), ScanError);
  const withManifestOnly = tarOf([{ name: 'manifest.json', body: JSON.stringify([{ Layers: ['nope/layer.tar'] }]) }]);
  await assert.rejects(scan(withManifestOnly), /nope\/layer.tar/);
  await assert.rejects(scan(tarOf([{ name: 'manifest.json', body: '{not json' }])), ScanError);
});

/** Reads an export of several images once and gives each image asked for (by ID) its result, as the images section does. */
async function scanMany(buffer: Buffer, ids: readonly string[], piece?: number): Promise<Map<string, ImageScan | undefined>> {
  const contents = await readExport(piecesOf(buffer, piece));
  return new Map([...matchEntries(contents.entries, ids)].map(([id, entry]) => [id, entry && contents.resolve(entry)]));
}
const BASE_FILES = ['/bin/su 4755', '/opt/tool/helper 6711', '/usr/bin/wall 2755'];
const listed = (scan: ImageScan | undefined) => (scan && 'files' in scan ? scan.files.map((f) => `${f.path} ${f.mode.toString(8)}`) : scan);

test('one export of several images: a shared layer is read once and each image gets its own layers, in its own order', async () => {
  const fix = tarOf([{ name: 'bin/.wh.su', body: '' }, { name: 'usr/bin/wall', mode: 0o755, body: 'wall' }, { name: 'opt/.wh..wh..opq', body: '' }]);
  const remove = tarOf([{ name: 'bin/.wh.su', body: '' }]);
  const readd = tarOf([{ name: 'bin/su', mode: 0o4750, body: 'su again' }]);
  const images: SavedImage[] = [
    { id: imageId('fixed'), layers: [base, fix] },
    { id: imageId('untouched'), layers: [base, tarOf([{ name: 'etc/motd', body: 'hi' }])] },
    { id: imageId('readded'), layers: [base, remove, readd] },
    { id: imageId('removed-last'), layers: [base, readd, remove] },
  ];
  for (const gzip of [false, true]) {
    const bytes = exportOfImages(images, { gzip });
    // The base layer is in the archive once, linked from the other images' folders, as the engine writes it.
    const listing = execFileSync('tar', ['-tvf', '-'], { input: bytes, encoding: 'utf8' });
    assert.equal(listing.match(/ -> \.\.\//g)?.length, 5, listing);
    const scans = await scanMany(bytes, images.map((i) => i.id), 1000);
    assert.deepEqual(listed(scans.get(imageId('fixed'))), []);
    assert.deepEqual(listed(scans.get(imageId('untouched'))), ['/bin/su 4755', '/opt/tool/helper 6711', '/usr/bin/wall 2755']);
    assert.deepEqual(listed(scans.get(imageId('readded'))), ['/bin/su 4750', '/opt/tool/helper 6711', '/usr/bin/wall 2755']);
    assert.deepEqual(listed(scans.get(imageId('removed-last'))), ['/opt/tool/helper 6711', '/usr/bin/wall 2755']);
  }
  // An image asked for alone from the same export is the same; one the export does not hold has no entry.
  const one = await scanMany(exportOfImages(images), [imageId('fixed'), imageId('not saved')]);
  assert.deepEqual(listed(one.get(imageId('fixed'))), []);
  assert.equal(one.get(imageId('not saved')), undefined);
});

test('a zstd or damaged layer marks only the images built on it', async () => {
  const zstd = Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), Buffer.alloc(600, 1)]);
  // A layer whose second header is damaged: its first block still says tar, its reading fails inside.
  const damaged = tarOf([{ name: 'bin/x', mode: 0o4755, body: 'x' }, { name: 'bin/y', mode: 0o4755, body: 'y' }]);
  damaged[1024] = damaged[1024]! ^ 0xff;
  const images: SavedImage[] = [
    { id: imageId('zstd'), layers: [base, zstd] },
    { id: imageId('damaged'), layers: [damaged] },
    { id: imageId('good'), layers: [base] },
  ];
  const scans = await scanMany(exportOfImages(images), images.map((i) => i.id));
  assert.match((scans.get(imageId('zstd')) as { problem: string }).problem, /zstd-compressed/);
  assert.match((scans.get(imageId('damaged')) as { problem: string }).problem, /checksum/);
  assert.deepEqual(listed(scans.get(imageId('good'))), ['/bin/su 4755', '/opt/tool/helper 6711', '/usr/bin/wall 2755']);
  // Alone, the same layer is an error of the image, as before.
  await assert.rejects(scan(exportOfImages([images[0]!])), /zstd-compressed/);
});

test('manifest entries are matched by config digest; an entry that cannot be matched is no one\'s', async () => {
  const layers = [base];
  const a = imageId('a');
  const b = imageId('b');
  const bytes = (manifest: unknown) => exportOfImages([{ id: a, layers }, { id: b, layers }], { manifest });
  const names = exportOfImages([{ id: a, layers }]).toString('latin1').match(/[0-9a-f]{64}\/layer\.tar/g)!;
  const layer = names[0]!;
  // Entries in another order, an entry for an image not asked for, a config that is no digest: only the matches count.
  const scans = await scanMany(
    bytes([
      { Config: 'c0ffee.json', Layers: [layer] },
      { Config: `${imageId('other').slice(7)}.json`, Layers: [layer] },
      { Config: `blobs/sha256/${b.slice(7)}`, Layers: [] },
      { Config: `${a.slice(7)}.json`, Layers: [layer] },
    ]),
    [a, b],
  );
  assert.deepEqual(listed(scans.get(a)), BASE_FILES);
  assert.deepEqual(listed(scans.get(b)), [], 'an OCI-layout config path names its image too');
  // Two images asked for, and entries that name neither: none is guessed.
  const unmatched = await scanMany(bytes([{ Config: 'c0ffee.json', Layers: [layer] }, { Config: 'beef.json', Layers: [layer] }]), [a, b]);
  assert.deepEqual([...unmatched.values()], [undefined, undefined]);
  // One image asked for, one entry of another ID (an engine whose image IDs are not config digests): it is that image's.
  assert.deepEqual(listed((await scanMany(bytes([{ Config: 'c0ffee.json', Layers: [layer] }]), [a])).get(a)), BASE_FILES);
});

test('hostile manifests of several images: errors or results, never a crash, a hang or a guess', async () => {
  const a = imageId('a');
  const one = (manifest: unknown) => scanMany(exportOfImages([{ id: a, layers: [base] }], { manifest }), [a]);
  const layer = exportOfImages([{ id: a, layers: [base] }]).toString('latin1').match(/[0-9a-f]{64}\/layer\.tar/)![0];
  for (const manifest of [{ Config: `${a.slice(7)}.json` }, 'text', 7, false]) await assert.rejects(one(manifest), /not a list/);
  // Entries that are not images are dropped; then nothing names a.
  for (const entry of [null, 5, 'x', [], { Config: `${a.slice(7)}.json`, Layers: [7] }, { Config: `${a.slice(7)}.json`, Layers: 'l' }, { Config: `${a.slice(7)}.json`, Layers: Array(MAX_LAYERS + 1).fill(layer) }]) {
    assert.deepEqual([...(await one([entry, entry])).values()], [undefined], JSON.stringify(entry).slice(0, 80));
  }
  // Configs that try to be something else.
  for (const config of ['__proto__', `../${a.slice(7)}.json`, `${a.slice(7)}.json/../x`, `sha256:${a.slice(7)}`]) {
    const scans = await scanMany(exportOfImages([{ id: a, layers: [base] }, { id: imageId('b'), layers: [base] }], { manifest: [{ Config: config, Layers: [layer] }] }), [a, imageId('b')]);
    assert.equal(scans.get(a), undefined, config);
  }
  // Two entries for one image: the first counts (an engine writes one).
  assert.deepEqual(listed((await one([{ Config: `${a.slice(7)}.json`, Layers: [layer] }, { Config: `${a.slice(7)}.json`, Layers: [] }])).get(a)), BASE_FILES);
  // Layer paths that are no layer, climb out, or go round in links: that image's problem.
  for (const path of ['nope/layer.tar', '../../etc/passwd', `${a.slice(7)}.json`, 'manifest.json']) {
    const scans = await one([{ Config: `${a.slice(7)}.json`, Layers: [path] }]);
    assert.match((scans.get(a) as { problem: string }).problem, /not in the export/, path);
  }
  const loop = tarOf([
    { name: 'x/layer.tar', type: '2', linkName: '../y/layer.tar' },
    { name: 'y/layer.tar', type: '2', linkName: '../x/layer.tar' },
    { name: 'manifest.json', body: JSON.stringify([{ Config: `${a.slice(7)}.json`, Layers: ['x/layer.tar'] }]) },
  ]);
  assert.match(((await scanMany(loop, [a])).get(a) as { problem: string }).problem, /not in the export/);
});

const isParseError = (e: unknown) => e instanceof ScanError || e instanceof TarError;

test('a truncated export or layer is an error, never a result', async () => {
  const full = exportOf([base, tarOf([{ name: 'bin/.wh.su', body: '' }])]);
  for (const cut of [100, 512, 1500, 3000, Math.floor(full.length / 2), full.length - 1100]) {
    await assert.rejects(scan(full.subarray(0, cut)), isParseError, `cut at ${cut}`);
  }
  const gz = exportOf([base], { gzip: true });
  await assert.rejects(scan(gz.subarray(0, gz.length - 1100 - 40)), isParseError);
});

test('huge and malformed header fields: errors, read without allocating what they claim', async () => {
  // A file that says it holds 8 GiB, in a layer that ends right after: skipped, then truncated.
  const huge = Buffer.concat([header({ name: 'big', type: '0', mode: 0o4755, size: 0o77777777777 }), Buffer.alloc(4096)]);
  await assert.rejects(scan(exportOf([huge])), /truncated|not in the export/);
  // Base-256 sizes past what a number holds.
  const b256 = header({ name: 'big', type: '0', mode: 0o644, size: 0 });
  b256[124] = 0x80;
  b256.fill(0xff, 125, 136);
  await assert.rejects(scan(exportOf([Buffer.concat([withChecksum(b256), Buffer.alloc(1024)])])), /too large/);
  // A pax header that claims more than any honest one, and pax records that lie.
  const bigPax = Buffer.concat([header({ name: 'pax', type: 'x', mode: 0o644, size: 64 * 1024 * 1024 }), Buffer.alloc(1024)]);
  await assert.rejects(scan(exportOf([bigPax])), /refused/);
  for (const record of ['99 path=x\n', 'abc path=x\n', '30 size=99999999999999999999\n', '12 size=-5\n']) {
    const body = Buffer.from(record);
    const layer = Buffer.concat([header({ name: 'pax', type: 'x', mode: 0o644, size: body.length }), body, Buffer.alloc(512 - body.length), header({ name: 'f', type: '0', mode: 0o644, size: 0 }), Buffer.alloc(1024)]);
    await assert.rejects(scan(exportOf([layer])), isParseError, record);
  }
  // A bad checksum in the outer archive.
  const bad = exportOf([base]);
  bad[0] = bad[0]! ^ 0xff;
  await assert.rejects(scan(bad), /checksum/);
});

test('random damage to an export ends in a result or a parse error, never anything else', { timeout: 120_000 }, async () => {
  const good = exportOf([base, tarOf([{ name: 'bin/.wh.su', body: '' }])]);
  const gzipped = exportOf([base], { gzip: true });
  const several = exportOfImages([
    { id: imageId('a'), layers: [base, tarOf([{ name: 'bin/.wh.su', body: '' }])] },
    { id: imageId('b'), layers: [base] },
  ]);
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(good, gzipped, several),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
      fc.option(fc.nat()),
      fc.integer({ min: 1, max: 5000 }),
      async (source, flips, cut, piece) => {
        const bytes = Buffer.from(source);
        for (const [at, value] of flips) bytes[at % bytes.length] = value;
        const input = cut === null ? bytes : bytes.subarray(0, cut % bytes.length);
        try {
          // Every image of the export of several is resolved: each gets files, a problem, or no entry.
          const results = source === several ? [...(await scanMany(input, [imageId('a'), imageId('b')], piece)).values()] : [{ files: await scan(input, piece) }];
          for (const r of results) {
            if (r === undefined || 'problem' in r) continue;
            assert.ok(Array.isArray(r.files));
            for (const f of r.files) assert.ok(f.path.startsWith('/') && !f.path.split('/').includes('..'));
          }
        } catch (e) {
          assert.ok(isParseError(e), `unexpected ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
        }
      },
    ),
    { numRuns: 400 },
  );
});

test('random bytes fed to the tar reader: a TarError or nothing, never a crash', async () => {
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), async (bytes) => {
      const reader = new TarReader({ entry: () => undefined });
      try {
        await reader.push(Buffer.from(bytes));
        reader.end();
      } catch (e) {
        assert.ok(e instanceof TarError, String(e));
      }
    }),
    { numRuns: 500 },
  );
});

/** A layer holding one big file whose body is produced as it is read, and a set-id file after it. */
async function* bigLayer(bytes: number, sample: () => void): AsyncGenerator<Buffer> {
  yield header({ name: 'var/big', type: '0', mode: 0o644, size: bytes });
  const chunk = Buffer.alloc(1024 * 1024, 0x61);
  for (let left = bytes; left > 0; left -= chunk.length) {
    sample();
    yield left >= chunk.length ? chunk : chunk.subarray(0, left);
  }
  yield Buffer.alloc((512 - (bytes % 512)) % 512);
  yield tarOf([{ name: 'bin/su', mode: 0o4755, body: 'su' }]);
}

async function* gzipped(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const gz = createGzip({ level: 1 });
  const out: Buffer[] = [];
  gz.on('data', (b: Buffer) => out.push(b));
  for await (const piece of source) {
    if (!gz.write(piece)) await new Promise((r) => gz.once('drain', r));
    while (out.length) yield out.shift()!;
  }
  gz.end();
  await new Promise((r) => gz.once('end', r));
  while (out.length) yield out.shift()!;
}

/** The export of one layer given as a stream of unknown length: the outer header is written with the length it will have. */
async function* streamedExport(layer: AsyncIterable<Buffer>, length: number): AsyncGenerator<Buffer> {
  yield header({ name: 'aaaa/layer.tar', type: '0', mode: 0o644, size: length });
  let sent = 0;
  for await (const piece of layer) {
    sent += piece.length;
    yield piece;
  }
  assert.equal(sent, length);
  yield Buffer.alloc((512 - (length % 512)) % 512);
  yield tarOf([{ name: 'manifest.json', body: JSON.stringify([{ Layers: ['aaaa/layer.tar'] }]) }]);
}

test('memory stays bounded while a 512 MB layer streams through, plain and gzip-compressed', { timeout: 300_000 }, async () => {
  const size = 512 * 1024 * 1024;
  const tail = tarOf([{ name: 'bin/su', mode: 0o4755, body: 'su' }]).length;
  const plainLength = 512 + size + ((512 - (size % 512)) % 512) + tail;
  for (const compressed of [false, true]) {
    globalThis.gc?.();
    const before = process.memoryUsage();
    let peak = 0;
    const sample = () => {
      const m = process.memoryUsage();
      peak = Math.max(peak, m.heapUsed + m.arrayBuffers - (before.heapUsed + before.arrayBuffers));
    };
    let layerBytes = plainLength;
    if (compressed) {
      // The compressed length is needed for the outer header: compress once to count, then again to stream.
      layerBytes = 0;
      for await (const p of gzipped(bigLayer(size, () => undefined))) layerBytes += p.length;
    }
    const layer = compressed ? gzipped(bigLayer(size, sample)) : bigLayer(size, sample);
    const files = await scanExport(streamedExport(layer, layerBytes));
    assert.deepEqual(files, [{ path: '/bin/su', mode: 0o4755 }]);
    assert.ok(peak < 64 * 1024 * 1024, `${compressed ? 'gzip' : 'plain'}: memory grew by ${Math.round(peak / 1024 / 1024)} MB reading a ${size / 1024 / 1024} MB layer`);
  }
});
