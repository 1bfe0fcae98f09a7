import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HostReadError, HostRoot } from '../../src/linux/host-root.js';

test('host paths are read under the root, symlinks followed inside it, never out of it', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'bulkhead-root.'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'etc/docker'), { recursive: true });
  mkdirSync(join(root, 'proc/self'), { recursive: true });
  writeFileSync(join(root, 'proc/self/mounts'), 'host mounts\n');
  writeFileSync(join(root, 'etc/docker/daemon.json'), '{"icc": false}');
  symlinkSync('/proc/self/mounts', join(root, 'etc/mtab')); // absolute: the HOST's /proc, not ours
  symlinkSync('docker/daemon.json', join(root, 'etc/relative.json'));
  symlinkSync('../../../../../etc/docker/daemon.json', join(root, 'etc/climbing.json')); // .. stops at the root
  symlinkSync('/etc/loop-b', join(root, 'etc/loop-a'));
  symlinkSync('/etc/loop-a', join(root, 'etc/loop-b'));

  const host = new HostRoot(root);
  assert.equal(host.readText('/etc/mtab'), 'host mounts\n');
  assert.equal(host.readText('/etc/relative.json'), '{"icc": false}');
  assert.equal(host.readText('/etc/climbing.json'), '{"icc": false}');
  assert.equal(host.readText('/etc/nothing-here'), undefined);
  assert.equal(host.readText('/etc/docker/daemon.json/below-a-file'), undefined);
  assert.deepEqual(host.list('/etc/docker'), ['daemon.json']);
  assert.equal(host.stat('/etc/docker')?.isDirectory(), true);
  assert.throws(() => host.readText('/etc/loop-a'), (e: unknown) => e instanceof HostReadError && /symbolic links/.test(e.message));
});

test('a path that exists but cannot be read as asked is a HostReadError naming the host path', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'bulkhead-root.'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'etc/docker'), { recursive: true });
  assert.throws(() => new HostRoot(root).readText('/etc/docker'), (e: unknown) => e instanceof HostReadError && e.message === '/etc/docker: is a directory');
});
