/** Mounts of note in a real container's mountinfo (recorded from the private engine: the engine's socket bind-mounted). */
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseMountInfo } from '../../src/linux/mountinfo.js';
import { notableMounts } from '../../src/linux/notable-mounts.js';
import { fixturesDir } from '../support/env.js';

const recorded = readFileSync(join(fixturesDir, 'unit', 'recorded', 'container.mountinfo'), 'utf8');

test('a default container with the socket: only the socket is of note (not Docker\'s /dev/null masks, /etc/hosts or its read-only /proc/sys and /sys)', () => {
  const mounts = parseMountInfo(recorded);
  assert.equal(mounts.length, recorded.trim().split('\n').length);
  assert.deepEqual(notableMounts(mounts).map((m) => [m.mountPoint, m.concerns]), [['/var/run/docker.sock', ['engine-socket']]]);
});

test('the same mounts, /proc/sys and /sys made writable and / shared: each said', () => {
  const changed = recorded
    .split('\n')
    .map((l) => (/ \/proc\/sys | \/sys /.test(l) ? l.replace(/ ro,/, ' rw,') : l))
    .map((l) => (/^\S+ \S+ \S+ \S+ \/ /.test(l) ? l.replace(/ - /, ' shared:1 - ') : l))
    .join('\n');
  const concerns = new Map(notableMounts(parseMountInfo(changed)).map((m) => [m.mountPoint, m.concerns]));
  assert.deepEqual(concerns.get('/proc/sys'), ['writable-proc-sys']);
  assert.deepEqual(concerns.get('/sys'), ['writable-sys']);
  assert.deepEqual(concerns.get('/'), ['shared-propagation']);
});

test('arbitrary text: a list of mounts or nothing, never a crash', () => {
  fc.assert(fc.property(fc.string({ maxLength: 400 }), (s) => {
    notableMounts(parseMountInfo(s));
  }), { numRuns: 1000 });
});
