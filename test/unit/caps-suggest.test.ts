/** caps suggest: the evidence each capability is added back for, on configuration read by the real adapters. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';
import { parse as parseYaml } from 'yaml';
import fc from 'fast-check';
import { scanText } from '../../src/inputs/scan.js';
import { containerFromInspect } from '../../src/inputs/inspect/adapt.js';
import { suggestCapabilities, type CapSuggestion } from '../../src/harden/capabilities.js';
import { capSyntax } from '../../src/harden/cap-syntax.js';
import { listeningPorts } from '../../src/linux/listening-ports.js';
import { effectiveUid } from '../../src/linux/container-observation.js';
import type { Container } from '../../src/model/container.js';
import { fixturesDir } from '../support/env.js';

const io = { readText: () => undefined, env: {} };
const containers = (text: string, file: string): readonly Container[] => scanText(text, file, io).containers;
const only = (text: string, file = 'compose.yaml'): Container => {
  const [c, ...rest] = containers(text, file);
  assert.equal(rest.length, 0);
  return c!;
};
const added = (s: CapSuggestion) => s.add.map((a) => a.name);
/** A container recorded from the real engine (it runs `sleep 3600` as root), with `overrides` merged into its Config and HostConfig. */
const recorded = (config: object = {}, hostConfig: object = {}): Container => {
  const doc = JSON.parse(readFileSync(`${fixturesDir}/rules/capabilities-added/good.inspect.json`, 'utf8'))[0];
  // The recording adds NET_BIND_SERVICE explicitly; these tests want no explicit capability.
  return containerFromInspect({ ...doc, Config: { ...doc.Config, ...config }, HostConfig: { ...doc.HostConfig, CapAdd: null, ...hostConfig } }, { kind: 'engine' });
};

test('official images that change user: nginx needs CHOWN, SETGID, SETUID; its port 80 needs NET_BIND_SERVICE, said to be unneeded on Docker 20.10+', () => {
  const s = suggestCapabilities(only('services:\n  web:\n    image: nginx:1.25-alpine\n    ports: ["8080:80"]\n'));
  assert.deepEqual(added(s), ['CHOWN', 'SETGID', 'SETUID', 'NET_BIND_SERVICE']);
  assert.match(s.add.find((a) => a.name === 'SETUID')!.reason, /official nginx image/);
  assert.match(s.add.find((a) => a.name === 'NET_BIND_SERVICE')!.reason, /port 80, below 1024 \(Docker 20\.10 and later need no capability/);
});

test('a namespaced image is not the official one (bitnami/nginx starts as non-root); an explicit command replaces the image\'s', () => {
  assert.deepEqual(added(suggestCapabilities(only('services:\n  web:\n    image: bitnami/nginx\n'))), []);
  assert.deepEqual(added(suggestCapabilities(only('services:\n  web:\n    image: nginx\n    command: ["sleep", "1d"]\n'))), []);
  assert.deepEqual(added(suggestCapabilities(only('services:\n  db:\n    image: docker.io/library/postgres@sha256:' + 'a'.repeat(64) + '\n'))), ['CHOWN', 'SETGID', 'SETUID']);
});

test('an official image given only a command still runs its entrypoint: the server or its options change user, another program does not', () => {
  const postgres = (command: string) => suggestCapabilities(only(`services:\n  db:\n    image: postgres:16\n    command: ${command}\n`));
  assert.deepEqual(added(postgres('postgres -c max_connections=200')), ['CHOWN', 'SETGID', 'SETUID']);
  assert.deepEqual(added(postgres('["-c", "max_connections=200"]')), ['CHOWN', 'SETGID', 'SETUID']);
  assert.deepEqual(added(postgres('["sleep", "1d"]')), []);
  const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: db\n      image: postgres:16\n      args: ["-c", "max_connections=200"]\n';
  assert.deepEqual(added(suggestCapabilities(only(pod, 'pod.yaml'))), ['CHOWN', 'SETGID', 'SETUID']);
  const own = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: db\n      image: postgres:16\n      command: ["/usr/local/bin/run.sh"]\n';
  assert.deepEqual(added(suggestCapabilities(only(own, 'pod.yaml'))), [], 'a command of its own replaces the entrypoint');
});

test('a command run through gosu or su-exec, as root, needs SETUID and SETGID; as a non-root user it needs none', () => {
  const root = suggestCapabilities(only('services:\n  app:\n    image: app\n    entrypoint: ["/bin/sh", "-c", "chown -R app /data && exec su-exec app node server.js"]\n'));
  assert.deepEqual(added(root), ['SETGID', 'SETUID']);
  assert.match(root.add[0]!.reason, /su-exec changes to another user/);
  const nonRoot = suggestCapabilities(only('services:\n  app:\n    image: app\n    user: "1000:1000"\n    command: ["gosu", "app", "node"]\n'));
  assert.deepEqual(added(nonRoot), []);
  assert.ok(nonRoot.notes.some((n) => /no evidence that any capability is needed/.test(n)));
});

test('explicit cap_add entries are kept with their reason, ALL is not, unknown names are noted; privileged is called moot', () => {
  const s = suggestCapabilities(only('services:\n  app:\n    image: app\n    user: app\n    privileged: true\n    cap_add: [net_admin, ALL, CAP_SYS_TIME, FLY]\n'));
  assert.deepEqual(added(s), ['NET_ADMIN', 'SYS_TIME']);
  assert.match(s.add[0]!.reason, /added explicitly/);
  assert.ok(s.notes.some((n) => /cap_add ALL is not kept/.test(n)));
  assert.ok(s.notes.some((n) => /cap_add FLY: not a capability/.test(n)));
  assert.ok(s.notes.some((n) => /^privileged: capabilities are moot/.test(n)));
});

test('low ports: host networking needs NET_BIND_SERVICE without the Docker hint; Kubernetes names the runtime sysctl; non-root is told about file capabilities', () => {
  const host = suggestCapabilities(only('services:\n  dns:\n    image: dns\n    network_mode: host\n    expose: ["53/udp"]\n'));
  assert.deepEqual(added(host), ['NET_BIND_SERVICE']);
  assert.doesNotMatch(host.add[0]!.reason, /Docker 20\.10/);
  const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: web\n      image: web\n      securityContext: {runAsUser: 101}\n      ports: [{containerPort: 443}]\n';
  const k8s = suggestCapabilities(only(pod, 'pod.yaml'));
  assert.deepEqual(added(k8s), ['NET_BIND_SERVICE']);
  assert.match(k8s.add[0]!.reason, /containerd 2\.0/);
  assert.ok(k8s.notes.some((n) => /file capabilities/.test(n)));
  assert.deepEqual(added(suggestCapabilities(only('services:\n  web:\n    image: web\n    ports: ["80:8080"]\n'))), [], 'the container port decides, not the host port');
});

test('a live container on Docker 20.10+ in its own network namespace needs nothing for low ports; on 19.03 it does', () => {
  const c = recorded();
  const observed = { ports: [80], processes: [{ pid: 10, command: 'web', uid: 0 }] };
  const modern = suggestCapabilities(c, { observed, engineVersion: '20.10.24+dfsg1' });
  assert.ok(!added(modern).includes('NET_BIND_SERVICE'));
  assert.ok(modern.notes.some((n) => /port 80, below 1024: no capability needed, Docker 20\.10\.24\+dfsg1/.test(n)));
  assert.deepEqual(added(suggestCapabilities(c, { observed, engineVersion: '19.03.15' })), ['NET_BIND_SERVICE']);
  const hostNet = suggestCapabilities(recorded({ ExposedPorts: { '53/udp': {} } }, { NetworkMode: 'host' }), { observed, engineVersion: '20.10.24' });
  assert.deepEqual(added(hostNet), ['NET_BIND_SERVICE'], 'the host\'s own sysctl applies with host networking');
  assert.match(hostNet.add[0]!.reason, /binds port 53,/, 'the declared port, not the host\'s sockets seen in /proc (80 here)');
  const hostOnly = suggestCapabilities(recorded({}, { NetworkMode: 'host' }), { observed, engineVersion: '20.10.24' });
  assert.deepEqual(added(hostOnly), []);
  assert.ok(hostOnly.notes.some((n) => /sockets seen are the host's/.test(n)));
});

test('observed processes under another uid than root\'s mean the container changes user', () => {
  const c = recorded({ User: '' });
  const switching = suggestCapabilities(c, { observed: { ports: [], processes: [{ pid: 1, command: 'sleep 1', uid: 0 }, { pid: 9, command: 'worker', uid: 1000 }] } });
  assert.deepEqual(added(switching), ['SETGID', 'SETUID']);
  assert.match(switching.add[0]!.reason, /process 9 \(worker\) runs as uid 1000/);
  assert.deepEqual(added(suggestCapabilities(c, { observed: { ports: [], processes: [{ pid: 1, command: 'sleep 1', uid: 0 }] } })), []);
  // postgres after gosu: every process has left root, and the container still starts as root and changes user.
  const switched = suggestCapabilities(c, { observed: { ports: [], processes: [{ pid: 7, command: 'postgres', uid: 999 }, { pid: 8, command: 'postgres: checkpointer', uid: 999 }] } });
  assert.deepEqual(added(switched), ['SETGID', 'SETUID']);
  assert.deepEqual(added(suggestCapabilities(recorded({ User: '999' }), { observed: { ports: [], processes: [{ pid: 7, command: 'postgres', uid: 999 }] } })), [], 'configured as that user: no change of user');
});

test('the suggestion in each target\'s own syntax parses as that syntax', () => {
  const s: CapSuggestion = { add: [{ name: 'CHOWN', reason: 'r' }, { name: 'NET_BIND_SERVICE', reason: 'r' }], notes: [] };
  assert.deepEqual(parseYaml(capSyntax('compose', 'web', s)), { services: { web: { cap_drop: ['ALL'], cap_add: ['CHOWN', 'NET_BIND_SERVICE'] } } });
  assert.deepEqual(parseYaml(capSyntax('kubernetes', 'web', s)), { securityContext: { capabilities: { drop: ['ALL'], add: ['CHOWN', 'NET_BIND_SERVICE'] } } });
  assert.deepEqual(JSON.parse(capSyntax('ecs', 'web', s)), { linuxParameters: { capabilities: { drop: ['ALL'], add: ['CHOWN', 'NET_BIND_SERVICE'] } } });
  assert.equal(capSyntax('engine', 'web', s), 'docker run --cap-drop ALL --cap-add CHOWN --cap-add NET_BIND_SERVICE …');
  assert.deepEqual(parseYaml(capSyntax('compose', 'web', { add: [], notes: [] })), { services: { web: { cap_drop: ['ALL'] } } });
});

/** The compose snippet parsed as YAML, keys keeping their types (a plain `123:` or `true:` key is not the string). */
const composeSnippet = (name: string, s: CapSuggestion) => parseYaml(capSyntax('compose', name, s), { mapAsMap: true }) as Map<unknown, unknown>;
const serviceOf = (name: string, s: CapSuggestion) => new Map([['services', new Map([[name, new Map<string, unknown>([['cap_drop', ['ALL']], ...(s.add.length ? [['cap_add', s.add.map((a) => a.name)] as [string, unknown]] : [])])]])]]);

test('the compose snippet names exactly the service, whatever its name holds: a key that is not a plain safe scalar is quoted', () => {
  const s: CapSuggestion = { add: [{ name: 'CHOWN', reason: 'r' }], notes: [] };
  const names = [
    'web:\n    privileged: true\n    x', 'a: b #c', 'a/b', 'true', 'False', 'null', '~', 'yes', 'on', '123', '1.5', '0x1F', '1e3', '.inf', '',
    ' lead', 'trail ', 'x"y\\z', "it's", '- item', '*alias', '&anchor', '!tag', '? q', '{a: 1}', '[x]', '%YAML', '@at', '`tick', '#hash', 'a #b',
    'tab\there', 'nul\0', 'del\x7f', 'c1\x85\x9b', 'sep\u2028\u2029', 'bom\ufeff', 'café ✓', '<<',
  ];
  for (const name of names) assert.deepEqual(composeSnippet(name, s), serviceOf(name, s), JSON.stringify(name));
  // The usual names stay plain, as a user would write them.
  for (const name of ['web', 'my-app', 'app_1', 'api.v2']) assert.match(capSyntax('compose', name, s), new RegExp(`^  ${name.replace('.', '\\.')}:$`, 'm'));
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' })), (name) => {
      assert.deepEqual(composeSnippet(name, { add: [], notes: [] }), serviceOf(name, { add: [], notes: [] }));
    }),
    { numRuns: 1000 },
  );
});

test('listening ports from this process\'s own /proc/net files: a TCP listener and a bound UDP socket', async () => {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const udp = createSocket('udp4');
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
  try {
    const tcpPort = (server.address() as { port: number }).port;
    assert.ok(listeningPorts(readFileSync('/proc/self/net/tcp', 'utf8'), 'tcp').includes(tcpPort));
    assert.ok(listeningPorts(readFileSync('/proc/self/net/udp', 'utf8'), 'udp').includes(udp.address().port));
    assert.ok(!listeningPorts(readFileSync('/proc/self/net/tcp', 'utf8'), 'udp').includes(tcpPort), 'state 0A is not an unconnected UDP socket');
  } finally {
    server.close();
    udp.close();
  }
  assert.deepEqual(listeningPorts('garbage\n\n  : : :\n0: zz:zz 00:00 0A', 'tcp'), []);
  assert.equal(effectiveUid(readFileSync('/proc/self/status', 'utf8')), process.geteuid!());
});
