/** The compose adapter: every field of the model from a compose service, with its path, origin and position. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { runRules } from '../../src/core/engine.js';
import { InputError } from '../../src/core/errors.js';
import { isCompose, scanCompose } from '../../src/inputs/compose/scan.js';
import { interpolate } from '../../src/inputs/compose/interpolate.js';
import { parseDotenv } from '../../src/inputs/compose/dotenv.js';
import { bytesOf, parseShortPort, parseShortVolume, shellWords } from '../../src/inputs/compose/syntax.js';
import type { ScanIO } from '../../src/inputs/scan-result.js';
import { loadYamlDocuments, type YamlDocument } from '../../src/inputs/yaml/documents.js';
import type { Container } from '../../src/model/container.js';
import type { Value } from '../../src/model/value.js';
import { RULES } from '../../src/rules/index.js';

/** An in-memory folder: file name → text. */
function io(files: Record<string, string> = {}, env: Record<string, string> = {}): ScanIO {
  return { readText: (p) => files[p], env };
}

function scan(text: string, files: Record<string, string> = {}, env: Record<string, string> = {}, file = 'proj/compose.yaml'): Container[] {
  const [doc] = loadYamlDocuments(text, file);
  return [...scanCompose(doc!, file, io(files, env)).containers];
}

function service(containers: readonly Container[], name: string): Container {
  const c = containers.find((x) => x.subject.name === name);
  assert.ok(c, `no service ${name}`);
  return c;
}

function known<T>(v: Value<T>): T {
  assert.notEqual(v.origin, 'absent', `${v.path} is absent`);
  return (v as { value: T }).value;
}

/** Where the engine places a rule's findings for one service: `file:line` list. */
function placed(containers: readonly Container[], ruleName: string, name?: string): string[] {
  const rule = RULES.find((r) => r.name === ruleName)!;
  return runRules({ containers }, [rule])
    .filter((f) => name === undefined || f.subject.name === name)
    .map((f) => `${f.location.loc?.file}:${f.location.loc?.line}`)
    .sort();
}

/** An InputError with exactly this message. */
function inputError(message: RegExp): (e: unknown) => boolean {
  return (e) => e instanceof InputError && message.test(e.message);
}

test('detection: a mapping with services as a mapping, not a Kubernetes object', () => {
  assert.equal(isCompose({ services: { web: { image: 'nginx' } } }), true);
  assert.equal(isCompose({ services: {} }), true);
  assert.equal(isCompose({ services: ['web'] }), false);
  assert.equal(isCompose({ apiVersion: 'v1', kind: 'List', services: {} }), false);
  assert.equal(isCompose([{ services: {} }]), false);
  assert.equal(isCompose(null), false);
  assert.equal(isCompose('services'), false);
});

const STACK = `name: Shop
services:
  web:
    image: ghcr.io/example/web:1.2
    user: "1000:1000"
    privileged: true
    read_only: true
    cap_add: [net_admin, CAP_SYS_PTRACE]
    cap_drop:
      - ALL
    security_opt:
      - apparmor:unconfined
      - seccomp=./profile.json
      - label=type:spc_t
      - no-new-privileges:true
    ports:
      - "8080:80"
      - 127.0.0.1:9090:9090/udp
      - "[::1]:5000-5001:5000-5001"
      - "3000"
      - target: 443
        published: "8443"
        host_ip: 0.0.0.0
        protocol: tcp
    expose: ["7000", "7100-7101/udp"]
    volumes:
      - ./data:/data:ro,z
      - /var/run/docker.sock:/var/run/docker.sock
      - cache:/cache
      - /scratch
      - ~/conf:/conf:rshared
      - type: bind
        source: ../shared
        target: /shared
        read_only: true
        bind:
          propagation: rslave
      - type: tmpfs
        target: /tmp
    devices:
      - /dev/fuse
      - /dev/ttyUSB0:/dev/ttyS0:r
    ulimits:
      nofile: {soft: 1024, hard: 4096}
      nproc: 512
    mem_limit: 512m
    cpus: 1.5
    cpu_shares: 512
    cpu_quota: 50000
    pids_limit: 100
    restart: on-failure:3
    cgroup_parent: system.slice
    pid: host
    ipc: shareable
    uts: host
    userns_mode: host
    networks: [front, back]
    healthcheck:
      test: curl -f http://localhost/ || exit 1
    environment:
      - DEBUG=1
      - SHELL_VALUE
    entrypoint: ["/docker-entrypoint.sh"]
    command: gunicorn 'app:create()' --bind "0.0.0.0:80" -w\\ 4
  worker:
    image: ghcr.io/example/web:1.2
    network_mode: "service:web"
    deploy:
      resources:
        limits:
          cpus: "0.25"
          memory: 1.5G
          pids: 64
      restart_policy:
        condition: any
        max_attempts: 7
    mem_limit: 2g
    healthcheck:
      disable: true
    environment:
      API_URL: http://web
      EMPTY:
networks:
  front:
  back:
    name: shop-backend
volumes:
  cache:
    external: true
`;

test('every field of a service, with its path and origin', () => {
  const containers = scan(STACK, {}, { HOME: '/home/dev' });
  const web = service(containers, 'web');
  assert.deepEqual(web.subject, { kind: 'container', name: 'web' });
  assert.equal(web.source.kind, 'compose');
  assert.equal(web.source.file, 'proj/compose.yaml');
  assert.deepEqual(web.image, { origin: 'explicit', value: 'ghcr.io/example/web:1.2', path: 'services.web.image' });
  assert.deepEqual(web.user, { origin: 'explicit', value: '1000:1000', path: 'services.web.user' });
  assert.deepEqual(web.privileged, { origin: 'explicit', value: true, path: 'services.web.privileged' });
  assert.deepEqual(web.readOnlyRootfs, { origin: 'explicit', value: true, path: 'services.web.read_only' });
  assert.deepEqual(web.capAdd, { origin: 'explicit', value: ['NET_ADMIN', 'SYS_PTRACE'], path: 'services.web.cap_add' });
  assert.deepEqual(known(web.capDrop), ['ALL']);
  assert.deepEqual(web.apparmor, { origin: 'explicit', value: 'unconfined', path: 'services.web.security_opt[0]' });
  assert.deepEqual(web.seccomp, { origin: 'explicit', value: 'custom', path: 'services.web.security_opt[1]' });
  assert.deepEqual(web.selinux, { origin: 'explicit', value: ['type:spc_t'], path: 'services.web.security_opt[2]' });
  assert.deepEqual(web.noNewPrivileges, { origin: 'explicit', value: true, path: 'services.web.security_opt[3]' });
  assert.deepEqual(web.pidMode, { origin: 'explicit', value: 'host', path: 'services.web.pid' });
  assert.equal(known(web.ipcMode), 'shareable');
  assert.deepEqual(web.utsMode, { origin: 'explicit', value: 'host', path: 'services.web.uts' });
  assert.equal(known(web.usernsMode), 'host');
  // Project networks get the engine's names: <project>_<key>, or their own name.
  assert.deepEqual(web.networks, { origin: 'explicit', value: ['shop_front', 'shop-backend'], path: 'services.web.networks' });
  assert.equal(web.networkMode.origin, 'default');

  assert.deepEqual(
    known(web.ports).map((p) => [p.path, p.hostIp, p.hostPort, p.containerPort, p.protocol]),
    [
      ['services.web.ports[0]', '', 8080, 80, 'tcp'],
      ['services.web.ports[1]', '127.0.0.1', 9090, 9090, 'udp'],
      ['services.web.ports[2]', '::1', 5000, 5000, 'tcp'],
      ['services.web.ports[2]', '::1', 5001, 5001, 'tcp'],
      ['services.web.ports[3]', '', undefined, 3000, 'tcp'],
      ['services.web.ports[4]', '0.0.0.0', 8443, 443, 'tcp'],
    ],
  );
  assert.deepEqual(known(web.exposedPorts), ['7000/tcp', '7100/udp', '7101/udp', '80/tcp', '9090/udp', '5000/tcp', '5001/tcp', '3000/tcp', '443/tcp']);
  assert.equal(web.exposedPorts.path, 'services.web.expose');

  const dir = resolve('proj');
  assert.deepEqual(
    known(web.mounts).map((m) => [m.path, m.type, m.source, m.destination, m.readOnly, m.propagation]),
    [
      ['services.web.volumes[0]', 'bind', `${dir}/data`, '/data', true, ''],
      ['services.web.volumes[1]', 'bind', '/var/run/docker.sock', '/var/run/docker.sock', false, ''],
      ['services.web.volumes[2]', 'volume', 'cache', '/cache', false, ''],
      ['services.web.volumes[3]', 'volume', '', '/scratch', false, ''],
      ['services.web.volumes[4]', 'bind', '/home/dev/conf', '/conf', false, 'rshared'],
      ['services.web.volumes[5]', 'bind', resolve('shared'), '/shared', true, 'rslave'],
      ['services.web.volumes[6]', 'tmpfs', '', '/tmp', false, ''],
    ],
  );
  assert.deepEqual(
    known(web.devices).map((d) => [d.path, d.pathOnHost, d.pathInContainer, d.permissions]),
    [
      ['services.web.devices[0]', '/dev/fuse', '/dev/fuse', 'rwm'],
      ['services.web.devices[1]', '/dev/ttyUSB0', '/dev/ttyS0', 'r'],
    ],
  );
  assert.deepEqual(
    known(web.ulimits).map((u) => [u.path, u.name, u.soft, u.hard]),
    [
      ['services.web.ulimits.nofile', 'nofile', 1024, 4096],
      ['services.web.ulimits.nproc', 'nproc', 512, 512],
    ],
  );
  assert.deepEqual(web.memory, { origin: 'explicit', value: 512 * 1024 ** 2, path: 'services.web.mem_limit' });
  assert.deepEqual(web.nanoCpus, { origin: 'explicit', value: 1.5e9, path: 'services.web.cpus' });
  assert.equal(known(web.cpuShares), 512);
  assert.equal(known(web.cpuQuota), 50000);
  assert.deepEqual(web.pidsLimit, { origin: 'explicit', value: 100, path: 'services.web.pids_limit' });
  assert.deepEqual(web.restartPolicy, { origin: 'explicit', value: { name: 'on-failure', maximumRetryCount: 3 }, path: 'services.web.restart' });
  assert.equal(known(web.cgroupParent), 'system.slice');
  assert.deepEqual(web.healthcheck, { origin: 'explicit', value: { test: ['CMD-SHELL', 'curl -f http://localhost/ || exit 1'] }, path: 'services.web.healthcheck.test' });
  assert.deepEqual(
    known(web.env).map((e) => [e.path, e.name, e.value, e.fromSecret]),
    [
      ['services.web.environment[0]', 'DEBUG', '1', false],
      ['services.web.environment[1]', 'SHELL_VALUE', undefined, false],
    ],
  );
  assert.deepEqual(known(web.entrypoint), ['/docker-entrypoint.sh']);
  // A string command is split into words as compose does, without a shell.
  assert.deepEqual(web.cmd, { origin: 'explicit', value: ['gunicorn', 'app:create()', '--bind', '0.0.0.0:80', '-w 4'], path: 'services.web.command' });
  for (const f of ['state', 'health', 'processes'] as const) assert.equal(web[f].origin, 'absent');

  const worker = service(containers, 'worker');
  // network_mode service:web joins web's namespace: the container spells it container:web.
  assert.deepEqual(worker.networkMode, { origin: 'explicit', value: 'container:web', path: 'services.worker.network_mode' });
  assert.deepEqual(known(worker.networks), []);
  // deploy.resources wins over mem_limit, as `docker compose up` applies them.
  assert.deepEqual(worker.memory, { origin: 'explicit', value: 1.5 * 1024 ** 3, path: 'services.worker.deploy.resources.limits.memory' });
  assert.deepEqual(worker.nanoCpus, { origin: 'explicit', value: 0.25e9, path: 'services.worker.deploy.resources.limits.cpus' });
  assert.equal(known(worker.pidsLimit), 64);
  assert.deepEqual(worker.restartPolicy, { origin: 'explicit', value: { name: 'always', maximumRetryCount: 7 }, path: 'services.worker.deploy.restart_policy' });
  assert.deepEqual(worker.healthcheck, { origin: 'explicit', value: { test: ['NONE'] }, path: 'services.worker.healthcheck.disable' });
  assert.deepEqual(
    known(worker.env).map((e) => [e.path, e.name, e.value]),
    [
      ['services.worker.environment.API_URL', 'API_URL', 'http://web'],
      ['services.worker.environment.EMPTY', 'EMPTY', undefined],
    ],
  );
});

test('facts nobody wrote are the engine defaults, placed where they would be written', () => {
  const [c] = scan('services:\n  app:\n    image: alpine:3.20\n');
  assert.deepEqual(c!.user, { origin: 'default', value: '', path: 'services.app.user' });
  assert.deepEqual(c!.privileged, { origin: 'default', value: false, path: 'services.app.privileged' });
  assert.deepEqual(c!.memory, { origin: 'default', value: 0, path: 'services.app.deploy.resources.limits.memory' });
  assert.deepEqual(c!.nanoCpus, { origin: 'default', value: 0, path: 'services.app.deploy.resources.limits.cpus' });
  assert.deepEqual(c!.pidsLimit, { origin: 'default', value: 0, path: 'services.app.pids_limit' });
  assert.deepEqual(c!.seccomp, { origin: 'default', value: 'default', path: 'services.app.security_opt' });
  assert.deepEqual(c!.apparmor, { origin: 'default', value: 'docker-default', path: 'services.app.security_opt' });
  assert.deepEqual(c!.networks, { origin: 'default', value: ['proj_default'], path: 'services.app.networks' });
  assert.deepEqual(c!.healthcheck, { origin: 'default', value: undefined, path: 'services.app.healthcheck' });
  assert.deepEqual(c!.restartPolicy, { origin: 'default', value: { name: '', maximumRetryCount: 0 }, path: 'services.app.restart' });
  for (const f of ['ports', 'mounts', 'devices', 'ulimits', 'env', 'capAdd', 'capDrop', 'exposedPorts', 'entrypoint', 'cmd'] as const) {
    assert.equal(c![f].origin, 'default', f);
    assert.deepEqual((c![f] as { value: unknown }).value, [], f);
  }
  // The engine places such findings at the service.
  assert.deepEqual(placed([c!], 'no-memory-limit'), ['proj/compose.yaml:2']);
});

test('findings land on the line that says it', () => {
  const text = `services:
  web:
    image: nginx:1.27
    cap_add:
      - SYS_ADMIN
      - NET_ADMIN
    ports:
      - "80:80"
    restart: always
    network_mode: bridge
    deploy:
      resources:
        limits:
          cpus: "1"
`;
  const containers = scan(text);
  assert.deepEqual(placed(containers, 'capabilities-added'), ['proj/compose.yaml:5', 'proj/compose.yaml:6']);
  assert.deepEqual(placed(containers, 'privileged-host-port'), ['proj/compose.yaml:8']);
  assert.deepEqual(placed(containers, 'restart-policy'), ['proj/compose.yaml:9']);
  assert.deepEqual(placed(containers, 'default-bridge-network'), ['proj/compose.yaml:10']);
  // The memory limit would go under limits:, which is there.
  assert.deepEqual(placed(containers, 'no-memory-limit'), ['proj/compose.yaml:13']);
});

test('interpolation from the shell, then .env beside the file, keeping the position', () => {
  const text = `services:
  web:
    image: "nginx:\${NGINX_TAG:-1.27}"
    user: $APP_UID
    ports:
      - "\${HTTP_PORT}:80"
    cgroup_parent: \${CGROUP-system.slice}
    healthcheck:
      test: echo $$HOME \${UNSET}
    environment:
      GREETING: \${GREETING:+hello}
`;
  const dotenv = `# comment\nexport HTTP_PORT=80\nAPP_UID='10001'\nCGROUP=\nNGINX_TAG="1.25" # pinned\nGREETING=x\n`;
  const [web] = scan(text, { 'proj/.env': dotenv }, { HTTP_PORT: '8080' });
  assert.deepEqual(web!.image, { origin: 'explicit', value: 'nginx:1.25', path: 'services.web.image' });
  assert.equal(known(web!.user), '10001');
  // The shell wins over .env.
  assert.equal(known(web!.ports)[0]!.hostPort, 8080);
  // ${VAR-default}: set but empty is not unset.
  assert.deepEqual(web!.cgroupParent, { origin: 'explicit', value: '', path: 'services.web.cgroup_parent' });
  assert.deepEqual(known(web!.healthcheck)!.test, ['CMD-SHELL', 'echo $HOME ']);
  assert.equal(known(web!.env)[0]!.value, 'hello');

  assert.throws(
    () => scan('services:\n  db:\n    image: postgres\n    environment:\n      - POSTGRES_PASSWORD=${DB_PASSWORD:?set it in .env}\n'),
    (e: unknown) => e instanceof InputError && e.message === 'proj/compose.yaml:5:9: required variable DB_PASSWORD is missing a value: set it in .env',
  );
  assert.throws(() => scan('services:\n  db:\n    image: ${IMAGE?}\n'), inputError(/^proj\/compose\.yaml:3:5: required variable IMAGE is missing a value$/));
  assert.equal(known(scan('services:\n  db:\n    image: ${IMAGE?}\n', {}, { IMAGE: '' })[0]!.image), '');
});

test('interpolate: defaults, nesting, escapes and text that is not a template', () => {
  const env: Record<string, string> = { A: 'a', EMPTY: '' };
  const look = (n: string) => env[n];
  assert.equal(interpolate('${A}-$A-${B:-b}-${EMPTY:-e}-${EMPTY-e}', look), 'a-a-b-e-');
  assert.equal(interpolate('${B:-${A:-x}/y}', look), 'a/y');
  assert.equal(interpolate('${A:+set}${B:+set}${EMPTY+set}', look), 'setset');
  assert.equal(interpolate('$$A $$$A cost: $5 ${unclosed', look), '$A $a cost: $5 ${unclosed');
  assert.equal(interpolate('${1bad} ${A:x}', look), '${1bad} ${A:x}');
});

test('dotenv: quotes, comments, export, multi-line values and expansion', () => {
  const entries = parseDotenv('A=1\n  export B = two # c\nC="x\\ny $A"\nD=\'$A lit\'\nE="multi\nline"\n# F=no\nnot a line\nG=${A}${MISSING:-d}\n', (n) => (n === 'A' ? 'shell' : undefined));
  assert.deepEqual(
    entries.map((e) => [e.name, e.value, e.line, e.column]),
    [
      ['A', '1', 1, 1],
      ['B', 'two', 2, 10],
      ['C', 'x\ny shell', 3, 1],
      ['D', '$A lit', 4, 1],
      ['E', 'multi\nline', 5, 1],
      ['G', 'shelld', 9, 1],
    ],
  );
});

test('short syntaxes: volumes, ports, memory units, command words', () => {
  assert.deepEqual(parseShortVolume('/ctr'), { type: 'volume', source: '', target: '/ctr', readOnly: false, propagation: '' });
  assert.deepEqual(parseShortVolume('named:/ctr:nocopy'), { type: 'volume', source: 'named', target: '/ctr', readOnly: false, propagation: '' });
  assert.deepEqual(parseShortVolume('C:\\data:/data:ro'), { type: 'bind', source: 'C:\\data', target: '/data', readOnly: true, propagation: '' });
  assert.equal(parseShortVolume('src:/dst:ro:extra'), undefined);
  assert.deepEqual(parseShortPort('8000-8001:9000-9001')!.map((p) => [p.hostPort, p.containerPort]), [
    [8000, 9000],
    [8001, 9001],
  ]);
  // A host range for one container port: the engine picks within it.
  assert.deepEqual(parseShortPort('8000-8010:80')!.map((p) => [p.hostPort, p.containerPort]), [[8000, 80]]);
  assert.deepEqual(parseShortPort('127.0.0.1::53/udp'), [{ hostIp: '127.0.0.1', hostPort: undefined, containerPort: 53, protocol: 'udp' }]);
  assert.deepEqual(parseShortPort('::1:80:80'), [{ hostIp: '::1', hostPort: 80, containerPort: 80, protocol: 'tcp' }]);
  for (const bad of ['', 'http', '80:80/icmp', '1-2:1-3', '70000', 'x.y:80:80', '[::1:80:80']) assert.equal(parseShortPort(bad), undefined, bad);
  assert.equal(bytesOf('512m'), 512 * 1024 ** 2);
  assert.equal(bytesOf('1.5G'), 1.5 * 1024 ** 3);
  assert.equal(bytesOf('256MiB'), 256 * 1024 ** 2);
  assert.equal(bytesOf('100kb'), 102400);
  assert.equal(bytesOf('1024'), 1024);
  assert.equal(bytesOf(2048), 2048);
  assert.equal(bytesOf('lots'), undefined);
  assert.deepEqual(shellWords(`sh -c 'echo "hi there"' "a\\"b" c\\ d  `), ['sh', '-c', 'echo "hi there"', 'a"b', 'c d']);
});

test('YAML merge keys and anchors: the values count, placed at the merge key', () => {
  const text = `x-hardening: &hardening
  read_only: true
  security_opt: [no-new-privileges:true]
  cap_add: [SYS_ADMIN]
services:
  api:
    image: api:1
    <<: *hardening
    read_only: false
`;
  const [api] = scan(text);
  // Keys written in the mapping win over merged ones.
  assert.deepEqual(api!.readOnlyRootfs, { origin: 'explicit', value: false, path: 'services.api.read_only' });
  assert.deepEqual(api!.noNewPrivileges, { origin: 'explicit', value: true, path: 'services.api["<<"].security_opt[0]' });
  assert.deepEqual(placed([api!], 'capabilities-added'), ['proj/compose.yaml:8']);
});

test('extends within the file: inherited values keep the path where they are written', () => {
  const text = `services:
  base:
    image: app:1
    read_only: true
    cap_add: [NET_ADMIN]
    ports: ["127.0.0.1:8080:80"]
    environment: [MODE=base, KEEP=1]
    command: ["serve"]
  mid:
    extends: base
    cap_add: [SYS_PTRACE]
  web:
    extends:
      service: mid
    read_only: false
    ports: ["127.0.0.1:8080:80", "9090:90"]
    environment:
      MODE: web
    command: web --fast
`;
  const containers = scan(text);
  const web = service(containers, 'web');
  assert.deepEqual(web.image, { origin: 'inherited', value: 'app:1', path: 'services.base.image' });
  assert.deepEqual(web.readOnlyRootfs, { origin: 'explicit', value: false, path: 'services.web.read_only' });
  // Sequences are appended, base first.
  assert.deepEqual(web.capAdd, { origin: 'inherited', value: ['NET_ADMIN', 'SYS_PTRACE'], path: 'services.mid.cap_add' });
  // Ports with the same key are one.
  assert.deepEqual(
    known(web.ports).map((p) => p.path),
    ['services.web.ports[0]', 'services.web.ports[1]'],
  );
  assert.deepEqual(
    known(web.env).map((e) => [e.name, e.value, e.path]),
    [
      ['MODE', 'web', 'services.web.environment.MODE'],
      ['KEEP', '1', 'services.base.environment[1]'],
    ],
  );
  // command is replaced, not appended.
  assert.deepEqual(known(web.cmd), ['web', '--fast']);
  // Each capability is placed where it is written, whichever service that is.
  assert.deepEqual(placed(containers, 'capabilities-added', 'web'), ['proj/compose.yaml:11', 'proj/compose.yaml:5']);

  assert.throws(() => scan('services:\n  a:\n    extends: b\n  b:\n    extends: {service: a}\n'), inputError(/^proj\/compose\.yaml:5:5: extends cycle: a -> b -> a$/));
  assert.throws(() => scan('services:\n  a:\n    extends: a\n'), inputError(/^proj\/compose\.yaml:3:5: extends cycle: a -> a$/));
  assert.throws(() => scan('services:\n  a:\n    extends: nope\n'), inputError(/^proj\/compose\.yaml:3:5: extends: no service "nope" in proj\/compose\.yaml$/));
});

test('extends from another file: inherited values are placed in that file', () => {
  const main = `services:
  web:
    extends:
      file: ../common/services.yaml
      service: app
    cap_add:
      - SYS_ADMIN
    restart: "no"
`;
  const common = `services:
  app:
    image: "registry.example.com/app:\${TAG:-2}"
    privileged: true
    cap_add:
      - NET_ADMIN
    volumes:
      - ./config:/config:ro
    restart: always
    extends:
      service: base
  base:
    user: root
`;
  const files = { 'common/services.yaml': common };
  const containers = scan(main, files);
  const web = service(containers, 'web');
  const at = (line: number, column: number) => ({ file: 'common/services.yaml', line, column });
  const loc = (v: Value<unknown>) => v.loc && { file: v.loc.file, line: v.loc.line, column: v.loc.column };
  assert.equal(known(web.image), 'registry.example.com/app:2');
  assert.equal(web.image.origin, 'inherited');
  assert.deepEqual(loc(web.privileged), at(4, 5));
  assert.deepEqual(web.user.path, 'services.base.user');
  assert.deepEqual(loc(web.user), at(13, 5));
  // Relative paths of that file start at its folder.
  assert.equal(known(web.mounts)[0]!.source, resolve('common/config'));
  assert.deepEqual(known(web.mounts)[0]!.loc && known(web.mounts)[0]!.loc!.line, 8);
  // The service's own restart wins and is placed in the scanned file.
  assert.deepEqual(web.restartPolicy, { origin: 'explicit', value: { name: 'no', maximumRetryCount: 0 }, path: 'services.web.restart' });
  assert.deepEqual(placed(containers, 'privileged-container'), ['common/services.yaml:4']);
  assert.deepEqual(placed(containers, 'runs-as-root'), ['common/services.yaml:13']);
  assert.deepEqual(placed(containers, 'capabilities-added'), ['common/services.yaml:6', 'proj/compose.yaml:7']);

  assert.throws(() => scan(main), inputError(/^proj\/compose\.yaml:4:7: extends: cannot read common\/services\.yaml$/));
  assert.throws(() => scan(main, { 'common/services.yaml': 'services:\n  app: [\n' }), inputError(/^common\/services\.yaml:\d+:\d+: malformed YAML/));
  const loop = { 'common/services.yaml': 'services:\n  app:\n    extends: {file: ../proj/compose.yaml, service: web}\n' };
  assert.throws(() => scan(main, loop), inputError(/extends cycle: web -> app -> web$/));
});

test('env_file values, placed in the env file; environment wins', () => {
  const text = `services:
  api:
    image: api:1
    env_file:
      - .env.api
      - path: ./missing.env
        required: false
    environment:
      LOG_LEVEL: debug
`;
  const [api] = scan(text, { 'proj/.env.api': 'DATABASE_URL=postgres://app:s3cret@db/app\nLOG_LEVEL=info\n' });
  const env = known(api!.env);
  assert.deepEqual(
    env.map((e) => [e.name, e.value, e.path, e.loc?.file, e.loc?.line]),
    [
      ['DATABASE_URL', 'postgres://app:s3cret@db/app', 'services.api.env_file[0].DATABASE_URL', 'proj/.env.api', 1],
      ['LOG_LEVEL', 'debug', 'services.api.environment.LOG_LEVEL', undefined, undefined],
    ],
  );
});

test('build: the Dockerfile USER and HEALTHCHECK count when the service sets none', () => {
  const dockerfile = `FROM golang:1.22 AS build
USER builder
RUN go build -o /app
FROM gcr.io/distroless/static AS runtime
COPY --from=build /app /app
USER 10001:10001
HEALTHCHECK --interval=10s CMD ["/app", "health"]
EXPOSE 8080
FROM runtime AS debug
USER root
`;
  const text = `services:
  api:
    build:
      context: ./api
      target: runtime
  debug:
    build:
      context: ./api
  pinned:
    build: ./api
    user: "20000"
  elsewhere:
    build:
      context: ./missing
  remote:
    build: https://github.com/example/api.git#main
`;
  const containers = scan(text, { 'proj/api/Dockerfile': dockerfile });
  const api = service(containers, 'api');
  assert.equal(api.user.origin, 'inherited');
  assert.equal(known(api.user), '10001:10001');
  assert.deepEqual(api.user.loc && [api.user.loc.file, api.user.loc.line], ['proj/api/Dockerfile', 6]);
  assert.deepEqual(known(api.healthcheck), { test: ['CMD', '/app', 'health'] });
  assert.equal(api.healthcheck.loc?.line, 7);
  assert.deepEqual(known(api.exposedPorts), ['8080/tcp']);
  assert.equal(api.image.origin, 'absent');
  // Without a target, the last stage (which builds on runtime) is what runs.
  const debug = service(containers, 'debug');
  assert.equal(known(debug.user), 'root');
  assert.deepEqual(placed(containers, 'runs-as-root'), ['proj/api/Dockerfile:10', 'proj/compose.yaml:12', 'proj/compose.yaml:15']);
  assert.equal(known(service(containers, 'pinned').user), '20000');
  assert.deepEqual(service(containers, 'elsewhere').user, { origin: 'default', value: '', path: 'services.elsewhere.user' });
  assert.deepEqual(service(containers, 'remote').user, { origin: 'default', value: '', path: 'services.remote.user' });
});

test('namespace modes follow service: references to the host', () => {
  const text = `services:
  vpn:
    image: vpn:1
    network_mode: host
    pid: host
  app:
    image: app:1
    network_mode: service:vpn
    pid: "service:vpn"
    ipc: service:ghost
  loop-a:
    image: a:1
    network_mode: service:loop-b
  loop-b:
    image: b:1
    network_mode: service:loop-a
`;
  const containers = scan(text);
  const app = service(containers, 'app');
  assert.deepEqual(app.networkMode, { origin: 'explicit', value: 'host', path: 'services.app.network_mode' });
  assert.equal(known(app.pidMode), 'host');
  assert.equal(known(app.ipcMode), 'container:ghost');
  assert.equal(known(service(containers, 'loop-a').networkMode), 'container:loop-b');
  assert.deepEqual(placed(containers, 'host-network'), ['proj/compose.yaml:4', 'proj/compose.yaml:8']);
});

test('what compose cannot read is treated as not written', () => {
  const text = `services:
  odd:
    image: [not, a, string]
    privileged: maybe
    cap_add: SYS_ADMIN
    ports: ["http", {published: 80}, 70000, "8080:80"]
    volumes: ["", {source: /etc}, "a:b:c:d", 42]
    mem_limit: lots
    ulimits: {nofile: {soft: many}}
    restart: [always]
    healthcheck: {test: []}
    environment: "A=1"
  nothing:
  list: [1, 2]
`;
  const containers = scan(text);
  assert.deepEqual(
    containers.map((c) => c.subject.name),
    ['odd'],
  );
  const odd = containers[0]!;
  assert.equal(odd.image.origin, 'absent');
  assert.equal(odd.privileged.origin, 'default');
  assert.equal(odd.capAdd.origin, 'default');
  assert.deepEqual(
    known(odd.ports).map((p) => p.hostPort),
    [8080],
  );
  assert.deepEqual(known(odd.mounts), []);
  assert.equal(odd.memory.origin, 'default');
  assert.deepEqual(known(odd.ulimits), []);
  assert.equal(odd.restartPolicy.origin, 'default');
  assert.equal(odd.healthcheck.origin, 'default');
  assert.equal(odd.env.origin, 'default');
});

// ---- property tests --------------------------------------------------------

function fakeDoc(value: unknown): YamlDocument {
  return { value, index: 0, locate: () => new Map() };
}

function scanOrInputError(run: () => readonly Container[]): void {
  try {
    const containers = run();
    for (const f of runRules({ containers }, RULES)) assert.ok(typeof f.location.path === 'string');
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    assert.ok(!e.message.includes('\n'), 'one line');
  }
}

const anyIo = io({ 'p/.env': 'A=1\n', 'p/Dockerfile': 'FROM alpine\nUSER app\n' }, { HOME: '/root' });

test('property: any JSON value as a compose document gives containers or an InputError', () => {
  fc.assert(
    fc.property(fc.jsonValue({ maxDepth: 5 }), (value) => {
      scanOrInputError(() => scanCompose(fakeDoc(value), 'p/compose.yaml', anyIo).containers);
      scanOrInputError(() => scanCompose(fakeDoc({ services: value }), 'p/compose.yaml', anyIo).containers);
      scanOrInputError(() => scanCompose(fakeDoc({ services: { web: value } }), 'p/compose.yaml', anyIo).containers);
    }),
    { numRuns: 1500 },
  );
});

test('property: any value in any field of a real service', () => {
  const [doc] = loadYamlDocuments(STACK, 'p/compose.yaml');
  const base = doc!.value as { services: Record<string, Record<string, unknown>> };
  const keys = [...new Set([...Object.keys(base.services['web']!), ...Object.keys(base.services['worker']!), 'extends', 'build', 'env_file', 'deploy'])];
  const scalarish = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('${X:?e}', '$$', '${A:-${B}}', '~/x', '80:80', 'service:web', 'host', '-1', '1e400'));
  fc.assert(
    fc.property(fc.constantFrom('web', 'worker'), fc.constantFrom(...keys), fc.oneof(fc.jsonValue({ maxDepth: 3 }), scalarish, fc.array(scalarish)), (name, key, value) => {
      const copy = structuredClone(base);
      copy.services[name]![key] = value;
      scanOrInputError(() => scanCompose(fakeDoc(copy), 'p/compose.yaml', anyIo).containers);
    }),
    { numRuns: 3000 },
  );
});

test('property: arbitrary text through the YAML loader and the adapter', () => {
  const piece = fc.constantFrom('services:\n', '  web:\n', '    image: x\n', '    <<: *a\n', 'x: &a {privileged: true}\n', '    ports: ["80:80"]\n', '    extends: web\n', '    volumes: [./a:/b]\n', '  - ', ': ', '${', '\n', '"', '[', '{');
  fc.assert(
    fc.property(fc.array(fc.oneof(piece, fc.string({ maxLength: 8 })), { maxLength: 30 }), (parts) => {
      const text = parts.join('');
      scanOrInputError(() => loadYamlDocuments(text, 'p/compose.yaml').flatMap((d) => scanCompose(d, 'p/compose.yaml', anyIo).containers));
    }),
    { numRuns: 3000 },
  );
});

test('long extends and service: chains are refused or cut, not recursed into', () => {
  const services: Record<string, unknown> = {};
  for (let i = 0; i < 5000; i++) services[`s${i}`] = { image: 'x', extends: `s${i + 1}`, network_mode: `service:s${i + 1}` };
  services['s5000'] = { image: 'x', network_mode: 'host' };
  assert.throws(() => scanCompose(fakeDoc({ services }), 'p/compose.yaml', anyIo), inputError(/extends: more than 64 services deep$/));
  for (const s of Object.values(services)) delete (s as Record<string, unknown>)['extends'];
  const containers = scanCompose(fakeDoc({ services }), 'p/compose.yaml', anyIo).containers;
  assert.equal(known(containers[0]!.networkMode), 'container:s1');
  assert.equal(known(containers[4999]!.networkMode), 'host');
});

test('self-referencing anchors and deep nesting do not overflow', () => {
  const cyclic: Record<string, unknown> = { image: 'x' };
  cyclic['deploy'] = cyclic;
  scanOrInputError(() => scanCompose(fakeDoc({ services: { web: cyclic } }), 'p/compose.yaml', anyIo).containers);
  let deep: unknown = 'x';
  for (let i = 0; i < 10000; i++) deep = { deploy: deep };
  scanOrInputError(() => scanCompose(fakeDoc({ services: { web: deep } }), 'p/compose.yaml', anyIo).containers);
});
