/** `bulkhead caps`: command line in, stdout, stderr and exit code out. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../support/env.js';

const oneLineError = (r: { code: number; stdout: string; stderr: string }, pattern: RegExp) => {
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^bulkhead: [^\n]*\n$/, 'one line');
  assert.match(r.stderr, pattern);
};

test('caps decode --format json: the mask as /proc writes it and the names as inspect reports them', () => {
  const r = runCli(['caps', 'decode', '0xA80425FB', '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), {
    mask: '00000000a80425fb',
    names: ['chown', 'dac_override', 'fowner', 'fsetid', 'kill', 'setgid', 'setuid', 'setpcap', 'net_bind_service', 'net_raw', 'sys_chroot', 'mknod', 'audit_write', 'setfcap'],
    beyondDockerDefault: [],
  });
});

test('caps decode keeps bits beyond the known capabilities, by number', () => {
  const json = JSON.parse(runCli(['caps', 'decode', 'c000020000200000', '-f', 'json']).stdout) as { names: string[]; beyondDockerDefault: string[] };
  assert.deepEqual(json.names, ['sys_admin', '41', '62', '63']);
  assert.deepEqual(json.beyondDockerDefault, ['sys_admin', '41', '62', '63']);
  const text = runCli(['caps', 'decode', 'c000020000200000']);
  assert.equal(text.code, 0);
  assert.match(text.stdout, /^c000020000200000: 4 capabilities$/m);
  assert.match(text.stdout, /^\s+21\s+sys_admin\s+DANGEROUS: /m);
  assert.match(text.stdout, /^\s+63\s+63\s+unknown to bulkhead/m);
  assert.match(text.stdout, /^beyond Docker's default set: sys_admin, 41, 62, 63$/m);
  assert.deepEqual(JSON.parse(runCli(['caps', 'decode', '0', '-f', 'json']).stdout).names, []);
});

test('caps decode: garbage is exit 2 with one line, escape sequences stripped', () => {
  for (const bad of ['zz', '0x', '11111111111111111', 'ff ff', '0x0x1', '1\n2', '\x1b[31mff']) {
    oneLineError(runCli(['caps', 'decode', '--', bad]), /not a capability mask/);
  }
  assert.doesNotMatch(runCli(['caps', 'decode', '\x1b[31mff']).stderr, /\x1b/);
  const format = runCli(['caps', 'decode', 'ff', '--format', 'xml']);
  assert.equal(format.code, 2);
  assert.match(format.stderr, /expected one of text, json/);
});

test('caps explain: every spelling of a name, what it allows, its CIS items, peer ids and rules', () => {
  const outputs = ['SYS_ADMIN', 'sys_admin', 'CAP_SYS_ADMIN'].map((n) => runCli(['caps', 'explain', n]));
  for (const r of outputs) assert.equal(r.code, 0, r.stderr);
  assert.equal(outputs[0]!.stdout, outputs[1]!.stdout);
  assert.equal(outputs[0]!.stdout, outputs[2]!.stdout);
  const text = outputs[0]!.stdout;
  assert.match(text, /^sys_admin \(CAP_SYS_ADMIN, bit 21\)$/m);
  assert.match(text, /^docker default: no/m);
  assert.match(text, /^\s+CIS-5\.4: /m);
  assert.match(text, /^\s+KSV-0022: /m);
  assert.match(text, /^\s+KSV-0005: /m);
  assert.match(text, /^\s+BH002 capabilities-added: /m);

  const json = JSON.parse(runCli(['caps', 'explain', 'chown', '-f', 'json']).stdout) as { dockerDefault: boolean; dangerous: boolean; peers: { id: string }[]; rules: { name: string }[] };
  assert.equal(json.dockerDefault, true);
  assert.equal(json.dangerous, false);
  assert.ok(!json.peers.some((p) => p.id === 'KSV-0022'), 'chown is in the Pod Security baseline');
  assert.ok(!json.rules.some((r) => r.name === 'capabilities-added'), 'adding a default capability is not flagged');
});

test('caps explain: an unknown name is exit 2 with the hint to list them', () => {
  for (const bad of ['foo', 'CAP_', '21', '']) oneLineError(runCli(['caps', 'explain', bad]), /unknown capability .*bulkhead caps list/);
});

test('caps list: all 41 with their numbers, Docker\'s 14 defaults marked, the dangerous flagged', () => {
  const r = runCli(['caps', 'list']);
  assert.equal(r.code, 0, r.stderr);
  const rows = r.stdout.split('\n').filter((l) => /^\s+\d+\s/.test(l));
  assert.equal(rows.length, 41);
  assert.equal(rows.filter((l) => /\sdefault\s/.test(l)).length, 14);
  assert.match(r.stdout, /^\s+21\s+sys_admin\s+DANGEROUS: /m);
  assert.match(r.stdout, /^\s+13\s+net_raw\s+default\s/m);
  const json = JSON.parse(runCli(['caps', 'list', '--format', 'json']).stdout) as { number: number; name: string; dockerDefault: boolean; dangerous: boolean }[];
  assert.deepEqual(json.map((c) => c.number), [...Array(41).keys()]);
  assert.equal(json.filter((c) => c.dockerDefault).length, 14);
  assert.ok(json.find((c) => c.name === 'sys_module')?.dangerous);
});
