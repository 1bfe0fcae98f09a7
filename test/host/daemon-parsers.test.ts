/**
 * The daemon section's readers, on their own: the dockerd command line (as
 * pflag reads it), daemon.json (strict JSON with positions), the addresses
 * dockerd listens on, and GET /info. Real command lines and /info bodies are
 * recorded from private engines by scripts/record-daemon.sh.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseDockerdArgs } from '../../src/inputs/host/dockerd-args.js';
import { FLAGS, type FlagDef } from '../../src/inputs/host/dockerd-flags.js';
import { parseDaemonJson } from '../../src/inputs/host/daemon-json.js';
import { parseDaemonHost } from '../../src/inputs/host/daemon-hosts.js';
import { daemonInfo } from '../../src/inputs/host/daemon-info.js';
import { repoRoot } from '../support/env.js';

const recorded = (name: string): unknown => JSON.parse(readFileSync(join(repoRoot, 'test', 'host', 'daemon-recorded', name), 'utf8'));
const values = (argv: string[]) => Object.fromEntries([...parseDockerdArgs(argv).settings].map(([k, s]) => [k, s.value]));

test('the recorded command line of the test set-up\'s dockerd', () => {
  const argv = recorded('plain.argv.json') as string[];
  const parsed = parseDockerdArgs(argv);
  assert.deepEqual(parsed.notes, []);
  const socket = argv[argv.indexOf('--host') + 1]!;
  assert.deepEqual(values(argv), {
    hosts: [socket],
    'data-root': argv[argv.indexOf('--data-root') + 1],
    'exec-root': argv[argv.indexOf('--exec-root') + 1],
    pidfile: argv[argv.indexOf('--pidfile') + 1],
    'storage-driver': 'vfs',
    iptables: false,
    bridge: 'none',
  });
  assert.deepEqual(parsed.settings.get('iptables')?.args, ['--iptables=false']);
  assert.equal(parsed.settings.get('iptables')?.path, 'dockerd --iptables');
  assert.deepEqual(parsed.settings.get('hosts')?.args, [`--host ${socket}`]);
});

test('the recorded command line of the hardened dockerd: switches alone are true, --config-file is no setting', () => {
  const argv = recorded('hardened.argv.json') as string[];
  const parsed = parseDockerdArgs(argv);
  assert.deepEqual(parsed.notes, []);
  assert.equal(parsed.configFile, argv[argv.indexOf('--config-file') + 1]);
  assert.equal(parsed.settings.has('config-file'), false);
  const v = values(argv);
  assert.equal(v['live-restore'], true);
  assert.equal(v['no-new-privileges'], true);
  assert.equal(v['userland-proxy'], false);
});

test('the command line of Debian\'s docker.service (ExecStart of the docker.io package)', () => {
  const parsed = parseDockerdArgs(['/usr/sbin/dockerd', '-H', 'fd://', '--containerd=/run/containerd/containerd.sock']);
  assert.deepEqual(parsed.notes, []);
  assert.deepEqual(values(['/usr/sbin/dockerd', '-H', 'fd://', '--containerd=/run/containerd/containerd.sock']), { hosts: ['fd://'], containerd: '/run/containerd/containerd.sock' });
  assert.deepEqual(parsed.settings.get('hosts')?.args, ['-H fd://']);
});

test('pflag forms: =value, a following word, shorthand clusters, repeatable flags, last one wins', () => {
  assert.deepEqual(values(['dockerd', '-Dl', 'warn']), { debug: true, 'log-level': 'warn' });
  assert.deepEqual(values(['dockerd', '-l=error']), { 'log-level': 'error' });
  assert.deepEqual(values(['dockerd', '-ldebug']), { 'log-level': 'debug' });
  assert.deepEqual(values(['dockerd', '-D=false']), { debug: false });
  assert.deepEqual(values(['dockerd', '--insecure-registry', 'a:5000', '--insecure-registry=10.0.0.0/8,b']), { 'insecure-registries': ['a:5000', '10.0.0.0/8,b'] });
  assert.deepEqual(values(['dockerd', '--log-opt', 'max-size=10m', '--log-opt=max-file=3']), { 'log-opts': { 'max-size': '10m', 'max-file': '3' } });
  assert.deepEqual(values(['dockerd', '--storage-opt', 'dm.basesize=20G']), { 'storage-opts': ['dm.basesize=20G'] });
  assert.deepEqual(values(['dockerd', '--mtu', '0x5dc', '--shutdown-timeout=-1']), { mtu: 1500, 'shutdown-timeout': -1 });
  assert.deepEqual(values(['dockerd', '--icc=false', '--icc=true']), { icc: true });
  assert.deepEqual(values(['dockerd', '--tlsverify=0', '--tls=T']), { tlsverify: false, tls: true });
  assert.deepEqual(values(['dockerd', '--default-ulimit', 'nofile=1024:2048']), { 'default-ulimits': { nofile: '1024:2048' } });
  // A value that starts with a dash is still the value of a flag that takes one.
  assert.deepEqual(values(['dockerd', '--cgroup-parent', '-weird']), { 'cgroup-parent': '-weird' });
});

test('a switch takes no separate word: `--icc false` is --icc (true) and a stray argument, as dockerd reads it', () => {
  const parsed = parseDockerdArgs(['dockerd', '--icc', 'false']);
  assert.equal(parsed.settings.get('icc')?.value, true);
  assert.deepEqual(parsed.notes, ['stray argument "false" (dockerd takes none)']);
});

test('what dockerd would refuse is a note, never an exception', () => {
  const notes = (argv: string[]) => parseDockerdArgs(argv).notes;
  assert.deepEqual(notes(['dockerd', '--icc=maybe']), ['"--icc=maybe": "maybe" is not true or false']);
  assert.deepEqual(notes(['dockerd', '--log-level']), ['flag --log-level needs a value']);
  assert.deepEqual(notes(['dockerd', '--mtu=big']), ['"--mtu=big": "big" is not a number']);
  assert.deepEqual(notes(['dockerd', '-Q']), ['unknown shorthand flag -Q in "-Q"']);
  assert.deepEqual(notes(['dockerd', '---x']), ['bad flag syntax "---x"']);
  assert.deepEqual(notes(['dockerd', '--', '--icc=false']), ['stray argument "--icc=false" (dockerd takes none)']);
  // An unknown flag (a newer dockerd's) is kept under its name, with the word after it when that is no flag.
  const unknown = parseDockerdArgs(['dockerd', '--future-thing', 'on', '--other-new', '--icc=false']);
  assert.equal(unknown.settings.get('future-thing')?.value, 'on');
  assert.deepEqual(unknown.settings.get('future-thing')?.args, ['--future-thing on']);
  assert.equal(unknown.settings.get('other-new')?.value, true);
  assert.equal(unknown.settings.get('icc')?.value, false);
  assert.equal(unknown.notes.length, 2);
  // A long garbage command line is a few notes, not thousands.
  assert.equal(notes(['dockerd', ...Array.from({ length: 1000 }, (_, i) => `junk${i}`)]).length, 6);
});

test('property: any argv gives settings and at most 6 notes, never an exception', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.string(), fc.constantFrom('-', '--', '-H', '-Dl', '--icc', '--icc=', '-l=', '--log-opt', '=')), { maxLength: 30 }), (args) => {
      const parsed = parseDockerdArgs(['dockerd', ...args]);
      assert.ok(parsed.notes.length <= 6);
      for (const [key, s] of parsed.settings) {
        assert.equal(typeof key, 'string');
        assert.ok(s.args.length >= 1);
      }
    }),
    { numRuns: 2000 },
  );
});

test('property: known flags written in any form pflag accepts read back as their values', () => {
  const defs = [...FLAGS.values()].filter((d) => d.kind === 'bool' || d.kind === 'string');
  type Written = { def: FlagDef; value: boolean | string; form: 'bare' | 'eq' | 'word' | 'short' };
  const written: fc.Arbitrary<Written> = fc.constantFrom(...defs).chain((def): fc.Arbitrary<Written> =>
    def.kind === 'bool'
      ? fc.record({ def: fc.constant(def), value: fc.boolean(), form: fc.constantFrom('bare' as const, 'eq' as const) })
      : fc.record({ def: fc.constant(def), value: fc.string({ minLength: 1 }), form: fc.constantFrom('eq' as const, 'word' as const, 'short' as const) }),
  );
  fc.assert(
    fc.property(fc.array(written, { maxLength: 12 }), (flags) => {
      const argv = ['dockerd'];
      const expected = new Map<string, unknown>();
      for (const { def, value, form } of flags) {
        if (def.name === 'config-file') continue;
        if (def.kind === 'bool') {
          // A bare switch can only say true.
          if (form === 'bare' && value) argv.push(`--${def.name}`);
          else argv.push(`--${def.name}=${value}`);
        } else if (form === 'short' && def.short) argv.push(`-${def.short}`, String(value));
        else if (form === 'word') argv.push(`--${def.name}`, String(value));
        else argv.push(`--${def.name}=${value}`);
        expected.set(def.key, value);
      }
      const parsed = parseDockerdArgs(argv);
      assert.deepEqual(parsed.notes, []);
      assert.deepEqual(new Map([...parsed.settings].map(([k, s]) => [k, s.value])), expected);
    }),
    { numRuns: 1000 },
  );
});

test('daemon.json: every key with its 1-based position, elements of lists too', () => {
  const text = '{\n  "icc": false,\n  "insecure-registries": [\n    "127.0.0.0/8", "reg.example:5000"\n  ],\n\t"log-level": "warn"\n}\n';
  const r = parseDaemonJson(text, '/etc/docker/daemon.json');
  assert.ok(r.ok);
  assert.deepEqual(r.notes, []);
  const icc = r.settings.get('icc')!;
  assert.equal(icc.value, false);
  assert.deepEqual(icc.loc, { file: '/etc/docker/daemon.json', line: 2, column: 3, endLine: 2, endColumn: 15 });
  const regs = r.settings.get('insecure-registries')!;
  assert.deepEqual(regs.elements?.map((l) => [l.line, l.column]), [[4, 5], [4, 20]]);
  assert.deepEqual([r.settings.get('log-level')!.loc.line, r.settings.get('log-level')!.loc.column], [6, 2]);
});

test('daemon.json: malformed is one line with file:line:column; wrong types are notes and not settings', () => {
  const bad = parseDaemonJson('{\n  "icc": false,\n  "live-restore": tru\n}', '/etc/docker/daemon.json');
  assert.equal(bad.ok, false);
  assert.match(!bad.ok ? bad.error : '', /^\/etc\/docker\/daemon\.json:3:19: not valid JSON \(\w+\)$/);
  assert.equal(parseDaemonJson('{"a": 1,}', 'f').ok, false, 'dockerd reads strict JSON: no trailing comma');
  assert.equal(parseDaemonJson('// x\n{}', 'f').ok, false, 'no comments');
  assert.deepEqual(parseDaemonJson('[1]', 'f'), { ok: false, error: 'f:1:1: not a JSON object' });
  const deep = parseDaemonJson('['.repeat(100000), 'f');
  assert.equal(deep.ok, false);

  const typed = parseDaemonJson('{"icc": "false", "hosts": "unix:///x", "mtu": 1.5, "debug": true}', 'f');
  assert.ok(typed.ok);
  assert.deepEqual([...typed.settings.keys()], ['debug']);
  assert.deepEqual(typed.notes, [
    'f:1:2: "icc" is "false" (a string); dockerd expects true or false and refuses to start with this file',
    'f:1:18: "hosts" is "unix:///x" (a string); dockerd expects a list of strings and refuses to start with this file',
    'f:1:40: "mtu" is 1.5 (a number); dockerd expects a whole number and refuses to start with this file',
  ]);
});

test('daemon.json: the last of duplicate keys wins, a byte order mark is skipped, empty is no settings', () => {
  const dup = parseDaemonJson('{"icc": true, "icc": false}', 'f');
  assert.ok(dup.ok);
  assert.equal(dup.settings.get('icc')?.value, false);
  assert.equal(dup.settings.get('icc')?.loc.column, 15);
  const bom = parseDaemonJson('\uFEFF{"icc": false}', 'f');
  assert.ok(bom.ok);
  assert.equal(bom.settings.get('icc')?.loc.column, 3);
  const empty = parseDaemonJson(' \n', 'f');
  assert.ok(empty.ok && empty.settings.size === 0);
});

test('property: any text as daemon.json is settings or one line of error, never an exception', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((v) => JSON.stringify({ icc: v, hosts: v, 'log-opts': v }))), (text) => {
      const r = parseDaemonJson(text, 'f');
      if (!r.ok) assert.match(r.error, /^f:\d+:\d+: [^\n]+$/);
    }),
    { numRuns: 2000 },
  );
});

test('listening addresses as dockerd reads them', () => {
  assert.deepEqual(parseDaemonHost('unix:///run/x.sock'), { kind: 'unix', path: '/run/x.sock', raw: 'unix:///run/x.sock' });
  assert.deepEqual(parseDaemonHost(''), { kind: 'unix', path: '/var/run/docker.sock', raw: '' });
  assert.deepEqual(parseDaemonHost('unix://'), { kind: 'unix', path: '/var/run/docker.sock', raw: 'unix://' });
  assert.deepEqual(parseDaemonHost('fd://'), { kind: 'fd', raw: 'fd://' });
  assert.deepEqual(parseDaemonHost('tcp://0.0.0.0:2375'), { kind: 'tcp', host: '0.0.0.0', port: 2375, raw: 'tcp://0.0.0.0:2375' });
  assert.deepEqual(parseDaemonHost(':2376'), { kind: 'tcp', host: '', port: 2376, raw: ':2376' });
  assert.deepEqual(parseDaemonHost('tcp://[::1]:2376'), { kind: 'tcp', host: '::1', port: 2376, raw: 'tcp://[::1]:2376' });
  assert.equal(parseDaemonHost('npipe:////./pipe/docker').kind, 'other');
});

test('GET /info as recorded from the private engines', () => {
  const plain = daemonInfo(recorded('plain.info.json') as Record<string, unknown>);
  assert.equal(plain.driver, 'vfs');
  assert.equal(plain.loggingDriver, 'json-file');
  assert.equal(plain.liveRestoreEnabled, false);
  assert.equal(plain.experimentalBuild, false);
  assert.deepEqual(plain.authorizationPlugins, [], 'Plugins.Authorization is null');
  assert.deepEqual(plain.insecureRegistries, ['127.0.0.0/8']);
  assert.deepEqual(plain.securityOptions, ['name=seccomp,profile=default']);
  assert.equal(plain.swarm, 'inactive');

  const hardened = daemonInfo(recorded('hardened.info.json') as Record<string, unknown>);
  assert.equal(hardened.liveRestoreEnabled, true);
  assert.equal(hardened.experimentalBuild, true);
  assert.equal(hardened.loggingDriver, 'syslog');
  assert.deepEqual(hardened.insecureRegistries, ['127.0.0.0/8', 'registry.example:5000']);
  assert.match(hardened.securityOptions![0]!, /^name=seccomp,profile=\/.*seccomp-allow\.json$/);

  // The engine's word is not trusted to have a shape.
  assert.deepEqual(daemonInfo({ Name: 7, SecurityOptions: 'x', Plugins: [], RegistryConfig: { IndexConfigs: { a: 1 } } }), { name: '', insecureRegistries: [] });
});
