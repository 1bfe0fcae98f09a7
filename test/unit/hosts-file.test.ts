import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../src/core/errors.js';
import { fingerprintOf } from '../../src/core/fingerprint.js';
import { subjectKey } from '../../src/model/subject.js';
import { allContexts } from '../../src/inputs/engine/endpoint.js';
import { parseHostsFile } from '../../src/inputs/engine/hosts-file.js';

const env = {};

test('hosts file: one URL a line; # comments (whole line or trailing) and blank lines are skipped; CRLF is read', () => {
  const text = '# the fleet\n\nunix:///run/a.sock\r\n  tcp://10.0.0.2:2375   # web tier\n#ssh://old@gone\nssh://ops@db1\n';
  const got = parseHostsFile(text, 'fleet.txt', env, '/nonexistent-home');
  assert.deepEqual(got.map((e) => [e.address, e.from]), [
    ['unix:///run/a.sock', '--hosts-file'],
    ['tcp://10.0.0.2:2375', '--hosts-file'],
    ['ssh://ops@db1', '--hosts-file'],
  ]);
  assert.equal(got[0]!.local, true);
  assert.equal(got[1]!.local, false);
});

test('hosts file: a bad line is a usage error naming FILE:LINE', () => {
  const bad = (text: string, where: RegExp) =>
    assert.throws(() => parseHostsFile(text, 'fleet.txt', env, '/nonexistent-home'), (e: unknown) => e instanceof InputError && where.test(e.message));
  bad('unix:///a.sock\n# ok\nftp://x\n', /^fleet\.txt:3: unsupported Docker host "ftp:\/\/x"/);
  bad('\n\nunix:///a.sock tcp://b:1\n', /^fleet\.txt:3: expected one Docker host URL a line/);
  bad('unix:///a.sock\nnot a url\n', /^fleet\.txt:2: /);
  bad('# nothing\n\n', /^fleet\.txt: no Docker hosts in it$/);
});

test('--context all: every context in contexts/meta, by name; none is a usage error', (t) => {
  const home = mkdtempSync(join(tmpdir(), 'bulkhead-contexts.'));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  const cfg = join(home, '.docker');
  assert.throws(() => allContexts({}, home), /--context all: no docker contexts in/);
  for (const [name, host] of [['prod', 'tcp://10.1.1.1:2375'], ['edge', 'unix:///run/edge.sock']] as const) {
    const dir = join(cfg, 'contexts', 'meta', createHash('sha256').update(name).digest('hex'));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'meta.json'), JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: { Host: host, SkipTLSVerify: false } } }));
  }
  assert.deepEqual(allContexts({}, home).map((e) => [e.address, e.from]), [
    ['unix:///run/edge.sock', 'docker context'],
    ['tcp://10.1.1.1:2375', 'docker context'],
  ]);
});

test('subject.host: two engines\' `web` are two subjects and two fingerprints; without a host the fingerprint is unchanged', () => {
  const web = { kind: 'container' as const, name: 'web', id: 'abc' };
  const a = { ...web, host: { name: 'node-a', id: 'AAAA' } };
  const b = { ...web, host: { name: 'node-b', id: 'BBBB' } };
  assert.notEqual(subjectKey(a), subjectKey(b));
  assert.notEqual(subjectKey(a), subjectKey(web));
  const fp = (subject: typeof web | typeof a) => fingerprintOf({ ruleId: 'BH004', subject, path: 'HostConfig.PidMode' });
  assert.notEqual(fp(a), fp(b));
  // The fingerprint of a finding without a host (every single-engine audit's) is what it was before fleets: baselines keep working.
  assert.equal(fp(web), createHash('sha256').update(['BH004', 'container', 'web', '', 'HostConfig.PidMode'].join('\0')).digest('hex').slice(0, 32));
  // The engine's ID is not part of it: a reinstalled engine on the same host keeps its baseline.
  assert.equal(fp(a), fp({ ...web, host: { name: 'node-a', id: 'CCCC' } }));
});
