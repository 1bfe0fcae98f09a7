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
import { scanExport, ScanError } from '../../src/inputs/engine/setuid-scan.js';
import { TarError, TarReader } from '../../src/inputs/engine/tar.js';
import { exportOf, header, piecesOf, tarOf, withChecksum } from '../support/tar.js';

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
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(good, gzipped),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
      fc.option(fc.nat()),
      fc.integer({ min: 1, max: 5000 }),
      async (source, flips, cut, piece) => {
        const bytes = Buffer.from(source);
        for (const [at, value] of flips) bytes[at % bytes.length] = value;
        const input = cut === null ? bytes : bytes.subarray(0, cut % bytes.length);
        try {
          const files = await scan(input, piece);
          assert.ok(Array.isArray(files));
          for (const f of files) assert.ok(f.path.startsWith('/') && !f.path.split('/').includes('..'));
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
