/** bulkhead knows the container it runs in from mountinfo (recorded on the private engine and on this machine). */
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ownContainerId } from '../../src/linux/own-container.js';
import { withoutOwnContainer } from '../../src/core/suppression.js';
import type { Finding } from '../../src/core/finding.js';
import { RULES } from '../../src/rules/index.js';
import { fixturesDir } from '../support/env.js';

const recorded = join(fixturesDir, 'unit', 'recorded');

test('in a container: its id, from the engine\'s files bind-mounted at /etc/hostname, hosts and resolv.conf', () => {
  const id = readFileSync(join(recorded, 'mountinfo-in-container.id'), 'utf8').trim();
  assert.match(id, /^[0-9a-f]{64}$/);
  assert.equal(ownContainerId(join(recorded, 'mountinfo-in-container.txt')), id);
});

test('on a host, or with no readable mountinfo: none', (t) => {
  assert.equal(ownContainerId(join(recorded, 'mountinfo-on-host.txt')), undefined);
  assert.equal(ownContainerId('/nonexistent/mountinfo'), undefined);
  // A container's files mounted elsewhere (a volume of another container's folder) are not ours.
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-own.'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const line = readFileSync(join(recorded, 'mountinfo-in-container.txt'), 'utf8').split('\n').find((l) => l.includes(' /etc/hostname '))!;
  writeFileSync(join(dir, 'mountinfo'), `${line.replace(' /etc/hostname ', ' /data/hostname ')}\n`);
  assert.equal(ownContainerId(join(dir, 'mountinfo')), undefined);
});

test('findings about the own container are suppressed as kind self; others are reported', () => {
  const rule = RULES[0]!;
  const f = (id: string): Finding => ({ rule, severity: rule.severity, message: 'm', subject: { kind: 'container', name: id.slice(0, 4), id }, location: { path: 'HostConfig.Privileged' }, remediation: '' });
  const own = 'a'.repeat(64);
  const split = withoutOwnContainer([f(own), f('b'.repeat(64))], own);
  assert.deepEqual(split.reported.map((x) => x.subject.id), ['b'.repeat(64)]);
  assert.deepEqual(split.suppressed.map((s) => [s.finding.subject.id, s.suppression.kind, s.suppression.where]), [[own, 'self', `container ${'a'.repeat(12)}`]]);
  assert.equal(withoutOwnContainer([f(own)], undefined).reported.length, 1, 'not in a container: nothing suppressed');
});
