/**
 * The ECS adapter: registration JSON, describe-task-definition output and
 * CloudFormation templates into the model, and the ECS fixtures under
 * test/rules/<rule>/ (bad*.ecs.json with *.expected.json, *.cfn.yaml with
 * inline `# expect:` comments).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { InputError } from '../../src/core/errors.js';
import { runRules } from '../../src/core/engine.js';
import { RULES } from '../../src/rules/index.js';
import type { Container } from '../../src/model/container.js';
import type { Value } from '../../src/model/value.js';
import { scanText } from '../../src/inputs/scan.js';
import type { ScanIO } from '../../src/inputs/scan-result.js';
import { isEcs, scanEcs } from '../../src/inputs/ecs/scan.js';
import { CLOUDFORMATION_TAGS, withCloudFormationTags } from '../../src/inputs/yaml/cloudformation-tags.js';
import { loadYamlDocuments, type YamlDocument } from '../../src/inputs/yaml/documents.js';
import { fixturesDir } from '../support/env.js';

const io: ScanIO = { readText: () => undefined, env: {} };

function scan(text: string, file = 'task.json', kind?: 'ecs'): Container[] {
  return [...scanText(text, file, io, kind).containers];
}

function only(text: string, file = 'task.json'): Container {
  const cs = scan(text, file);
  assert.equal(cs.length, 1);
  return cs[0]!;
}

/** The value of a known fact, failing when absent. */
function val<T>(v: Value<T>): T {
  assert.notEqual(v.origin, 'absent', `${v.path} is absent`);
  return (v as { value: T }).value;
}

function lineOf(c: Container, path: string): number | undefined {
  return c.source.locate?.([path]).get(path)?.line;
}

const REGISTRATION = `{
  "family": "storefront",
  "networkMode": "bridge",
  "pidMode": "host",
  "memory": "1 GB",
  "volumes": [
    { "name": "sock", "host": { "sourcePath": "/var/run/docker.sock" } },
    { "name": "cache", "dockerVolumeConfiguration": { "scope": "task", "driver": "local" } },
    { "name": "scratch", "host": {} }
  ],
  "containerDefinitions": [
    {
      "name": "web",
      "image": "nginx:1.27.0",
      "privileged": true,
      "user": "101:101",
      "cpu": 512,
      "readonlyRootFilesystem": true,
      "linuxParameters": {
        "capabilities": { "add": ["cap_net_admin", "SYS_PTRACE"], "drop": ["ALL"] },
        "devices": [{ "hostPath": "/dev/fuse", "permissions": ["write", "read"] }],
        "tmpfs": [{ "containerPath": "/run", "size": 64, "mountOptions": ["ro", "noexec"] }]
      },
      "dockerSecurityOptions": ["no-new-privileges", "label:type:spc_t", "apparmor:unconfined", "seccomp:unconfined"],
      "portMappings": [
        { "containerPort": 80, "hostPort": 8080 },
        { "containerPort": 53, "protocol": "UDP" }
      ],
      "mountPoints": [
        { "sourceVolume": "sock", "containerPath": "/var/run/docker.sock", "readOnly": true },
        { "sourceVolume": "cache", "containerPath": "/var/cache/nginx" },
        { "sourceVolume": "scratch", "containerPath": "/scratch" },
        { "sourceVolume": "nope", "containerPath": "/nope" }
      ],
      "environment": [{ "name": "MODE", "value": 3 }, { "value": "nameless" }],
      "secrets": [{ "name": "DB_PASSWORD", "valueFrom": "arn:aws:secretsmanager:us-east-1:1:secret:db" }],
      "ulimits": [{ "name": "nofile", "softLimit": 1024, "hardLimit": "4096" }],
      "healthCheck": { "command": ["CMD-SHELL", "curl -f http://localhost/ || exit 1"] },
      "entryPoint": ["/docker-entrypoint.sh"],
      "command": ["nginx", "-g", "daemon off;"]
    },
    {
      "name": "sidecar",
      "image": "busybox@sha256:${'a'.repeat(64)}",
      "memory": 64,
      "volumesFrom": [{ "sourceContainer": "web", "readOnly": true }]
    }
  ]
}`;

test('registration JSON: every field, with its path and origin', () => {
  const [web, sidecar] = scan(REGISTRATION);
  assert.ok(web && sidecar);
  assert.deepEqual(web.subject, { kind: 'container', name: 'storefront/web', file: 'task.json' });
  assert.equal(sidecar.subject.name, 'storefront/sidecar');
  assert.equal(web.source.kind, 'ecs');
  assert.equal(web.source.file, 'task.json');

  assert.deepEqual(web.image, { origin: 'explicit', value: 'nginx:1.27.0', path: 'containerDefinitions[0].image' });
  assert.deepEqual(web.privileged, { origin: 'explicit', value: true, path: 'containerDefinitions[0].privileged' });
  assert.deepEqual(web.user, { origin: 'explicit', value: '101:101', path: 'containerDefinitions[0].user' });
  assert.deepEqual(web.readOnlyRootfs, { origin: 'explicit', value: true, path: 'containerDefinitions[0].readonlyRootFilesystem' });
  assert.deepEqual(web.capAdd, { origin: 'explicit', value: ['NET_ADMIN', 'SYS_PTRACE'], path: 'containerDefinitions[0].linuxParameters.capabilities.add' });
  assert.deepEqual(val(web.capDrop), ['ALL']);

  // Security options: ECS's `key:value` forms; seccomp options never reach Docker.
  assert.deepEqual(web.noNewPrivileges, { origin: 'explicit', value: true, path: 'containerDefinitions[0].dockerSecurityOptions[0]' });
  assert.deepEqual(web.selinux, { origin: 'explicit', value: ['type:spc_t'], path: 'containerDefinitions[0].dockerSecurityOptions[1]' });
  assert.deepEqual(web.apparmor, { origin: 'explicit', value: 'unconfined', path: 'containerDefinitions[0].dockerSecurityOptions[2]' });
  assert.deepEqual(web.seccomp, { origin: 'default', value: 'default', path: 'containerDefinitions[0].dockerSecurityOptions' });

  // Task-level settings apply to every container, where they are written.
  for (const c of [web, sidecar]) {
    assert.deepEqual(c.networkMode, { origin: 'inherited', value: 'bridge', path: 'networkMode' });
    assert.deepEqual(c.networks, { origin: 'inherited', value: ['bridge'], path: 'networkMode' });
    assert.deepEqual(c.pidMode, { origin: 'inherited', value: 'host', path: 'pidMode' });
    assert.deepEqual(c.ipcMode, { origin: 'default', value: '', path: 'ipcMode' });
    assert.equal(c.utsMode.origin, 'default');
    assert.equal(c.usernsMode.origin, 'default');
  }
  // Container memory wins; without it the task's (1 GB) bounds the container.
  assert.deepEqual(sidecar.memory, { origin: 'explicit', value: 64 * 1024 * 1024, path: 'containerDefinitions[1].memory' });
  assert.deepEqual(web.memory, { origin: 'inherited', value: 1024 * 1024 * 1024, path: 'memory' });
  assert.deepEqual(web.cpuShares, { origin: 'explicit', value: 512, path: 'containerDefinitions[0].cpu' });
  assert.deepEqual(sidecar.cpuShares, { origin: 'default', value: 0, path: 'containerDefinitions[1].cpu' });
  assert.deepEqual(web.nanoCpus, { origin: 'default', value: 0, path: 'containerDefinitions[0].cpu' });
  assert.equal(val(web.cpuQuota), 0);

  // Mounts: host.sourcePath binds, other volumes, tmpfs; an undefined volume is dropped (ECS refuses it).
  const mounts = val(web.mounts);
  assert.deepEqual(
    mounts.map((m) => [m.path, m.type, m.source, m.destination, m.readOnly]),
    [
      ['containerDefinitions[0].mountPoints[0]', 'bind', '/var/run/docker.sock', '/var/run/docker.sock', true],
      ['containerDefinitions[0].mountPoints[1]', 'volume', 'cache', '/var/cache/nginx', false],
      ['containerDefinitions[0].mountPoints[2]', 'volume', 'scratch', '/scratch', false],
      ['containerDefinitions[0].linuxParameters.tmpfs[0]', 'tmpfs', '', '/run', true],
    ],
  );
  // volumesFrom copies the other container's mounts (not its tmpfs), read-only when asked.
  assert.deepEqual(
    val(sidecar.mounts).map((m) => [m.path, m.type, m.source, m.readOnly]),
    [
      ['containerDefinitions[1].volumesFrom[0]', 'bind', '/var/run/docker.sock', true],
      ['containerDefinitions[1].volumesFrom[0]', 'volume', 'cache', true],
      ['containerDefinitions[1].volumesFrom[0]', 'volume', 'scratch', true],
    ],
  );

  // Bridge mode: a written hostPort, or one the engine picks; every interface.
  assert.deepEqual(val(web.ports), [
    { path: 'containerDefinitions[0].portMappings[0]', containerPort: 80, protocol: 'tcp', hostIp: '', hostPort: 8080 },
    { path: 'containerDefinitions[0].portMappings[1]', containerPort: 53, protocol: 'udp', hostIp: '', hostPort: undefined },
  ]);
  assert.deepEqual(val(web.exposedPorts), ['80/tcp', '53/udp']);
  assert.deepEqual(val(web.devices), [
    { path: 'containerDefinitions[0].linuxParameters.devices[0]', pathOnHost: '/dev/fuse', pathInContainer: '/dev/fuse', permissions: 'rw' },
  ]);
  assert.deepEqual(val(web.ulimits), [{ path: 'containerDefinitions[0].ulimits[0]', name: 'nofile', soft: 1024, hard: 4096 }]);
  assert.deepEqual(web.healthcheck, {
    origin: 'explicit',
    value: { test: ['CMD-SHELL', 'curl -f http://localhost/ || exit 1'] },
    path: 'containerDefinitions[0].healthCheck',
  });
  assert.deepEqual(sidecar.healthcheck, { origin: 'default', value: undefined, path: 'containerDefinitions[1].healthCheck' });
  assert.deepEqual(val(web.env), [
    { path: 'containerDefinitions[0].environment[0]', name: 'MODE', value: '3', fromSecret: false },
    { path: 'containerDefinitions[0].secrets[0]', name: 'DB_PASSWORD', value: undefined, fromSecret: true },
  ]);
  assert.deepEqual(val(web.entrypoint), ['/docker-entrypoint.sh']);
  assert.deepEqual(val(web.cmd), ['nginx', '-g', 'daemon off;']);
  assert.deepEqual(sidecar.cmd, { origin: 'default', value: [], path: 'containerDefinitions[1].command' });
  assert.deepEqual(sidecar.user, { origin: 'default', value: '', path: 'containerDefinitions[1].user' });
  assert.deepEqual(sidecar.privileged, { origin: 'default', value: false, path: 'containerDefinitions[1].privileged' });
  assert.deepEqual(val(web.restartPolicy), { name: '', maximumRetryCount: 0 });

  // What ECS cannot say.
  for (const k of ['state', 'health', 'processes', 'pidsLimit', 'cgroupParent'] as const) assert.equal(web[k].origin, 'absent', k);
  assert.equal(sidecar.apparmor.origin, 'absent');
});

test('registration JSON: positions come from the file', () => {
  const [web, sidecar] = scan(REGISTRATION);
  assert.ok(web && sidecar);
  assert.equal(lineOf(web, 'containerDefinitions[0].privileged'), 15);
  assert.equal(lineOf(web, 'networkMode'), 3);
  assert.equal(lineOf(web, 'containerDefinitions[0].mountPoints[0]'), 30);
  assert.equal(lineOf(sidecar, 'containerDefinitions[1].volumesFrom[0]'), 46);
  const loc = web.source.locate!(['containerDefinitions[0].image']).get('containerDefinitions[0].image');
  assert.deepEqual([loc?.file, loc?.line, loc?.column], ['task.json', 14, 7]);
  // Defaults nobody wrote are placed at the nearest parent that is written: the container.
  const findings = runRules({ containers: [sidecar] }, RULES.filter((r) => r.name === 'runs-as-root'));
  assert.deepEqual(
    findings.map((f) => [f.location.path, f.location.loc?.line]),
    [['containerDefinitions[1].user', 42]],
  );
});

test('network modes: host publishes container ports on the host, awsvpc publishes nothing, defaults follow the launch type', () => {
  const task = (extra: string) =>
    `{"family":"f",${extra}"containerDefinitions":[{"name":"c","image":"i","portMappings":[{"containerPort":80,"hostPort":80},{"containerPort":9000}]}]}`;
  const host = only(task('"networkMode":"host",'));
  assert.deepEqual(
    val(host.ports).map((p) => [p.containerPort, p.hostPort]),
    [
      [80, 80],
      [9000, 9000],
    ],
  );
  assert.deepEqual(val(host.networks), ['host']);

  const awsvpc = only(task('"networkMode":"awsvpc",'));
  assert.deepEqual(awsvpc.ports, { origin: 'default', value: [], path: 'containerDefinitions[0].portMappings' });
  assert.deepEqual(val(awsvpc.exposedPorts), ['80/tcp', '9000/tcp']);
  assert.deepEqual(val(awsvpc.networks), []);

  assert.deepEqual(only(task('')).networkMode, { origin: 'default', value: 'bridge', path: 'networkMode' });
  assert.deepEqual(only(task('"requiresCompatibilities":["EC2"],')).networkMode, { origin: 'default', value: 'bridge', path: 'networkMode' });
  assert.deepEqual(only(task('"requiresCompatibilities":["FARGATE"],')).networkMode, { origin: 'default', value: 'awsvpc', path: 'networkMode' });
  // A mode ECS does not know is not written.
  assert.deepEqual(only(task('"networkMode":"weird",')).networkMode, { origin: 'default', value: 'bridge', path: 'networkMode' });

  // Task cpu in units or vCPU; memory in MiB or GB.
  const fargate = only(task('"cpu":"0.5 vCPU","memory":"2GB",'));
  assert.deepEqual(fargate.nanoCpus, { origin: 'inherited', value: 500_000_000, path: 'cpu' });
  assert.deepEqual(fargate.memory, { origin: 'inherited', value: 2048 * 1024 * 1024, path: 'memory' });
  assert.deepEqual(only(task('"cpu":256,')).nanoCpus, { origin: 'inherited', value: 250_000_000, path: 'cpu' });
});

test('describe-task-definition output: paths start at taskDefinition', () => {
  const c = only(
    JSON.stringify(
      {
        taskDefinition: {
          family: 'api',
          revision: 7,
          networkMode: 'awsvpc',
          ipcMode: 'host',
          containerDefinitions: [{ name: 'api', image: 'api:1', cpu: 0, memory: null, linuxParameters: null, dockerSecurityOptions: null, environment: [] }],
        },
        tags: [],
      },
      null,
      2,
    ),
  );
  assert.equal(c.subject.name, 'api/api');
  assert.deepEqual(c.ipcMode, { origin: 'inherited', value: 'host', path: 'taskDefinition.ipcMode' });
  assert.deepEqual(c.image, { origin: 'explicit', value: 'api:1', path: 'taskDefinition.containerDefinitions[0].image' });
  // describe fills cpu 0 and nulls: not written.
  assert.deepEqual(c.cpuShares, { origin: 'default', value: 0, path: 'taskDefinition.containerDefinitions[0].cpu' });
  assert.deepEqual(c.memory, { origin: 'default', value: 0, path: 'taskDefinition.containerDefinitions[0].memory' });
  assert.deepEqual(c.capAdd, { origin: 'default', value: [], path: 'taskDefinition.containerDefinitions[0].linuxParameters.capabilities.add' });
  assert.deepEqual(c.noNewPrivileges, { origin: 'default', value: false, path: 'taskDefinition.containerDefinitions[0].dockerSecurityOptions' });
  assert.deepEqual(c.env, { origin: 'default', value: [], path: 'taskDefinition.containerDefinitions[0].environment' });
  assert.equal(lineOf(c, 'taskDefinition.ipcMode'), 6);
});

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Cluster:
    Type: AWS::ECS::Cluster
  ApiTask:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: !Sub '\${AWS::StackName}-api'
      NetworkMode: !Ref NetworkMode
      PidMode: task
      Cpu: 512
      Memory: !If [IsProd, '2048', '1024']
      Volumes:
        - Name: sock
          Host:
            SourcePath: /var/run/docker.sock
        - Name: logs
          Host:
            SourcePath: !Ref LogDir
      ContainerDefinitions:
        - Name: api
          Image: !Sub '\${AWS::AccountId}.dkr.ecr.\${AWS::Region}.amazonaws.com/api:\${Tag}'
          Privileged: !Ref Priv
          ReadonlyRootFilesystem: 'true'
          Memory: '256'
          LinuxParameters:
            Capabilities:
              Add: [SYS_PTRACE, !Ref ExtraCap]
          DockerSecurityOptions: [!Ref SecOpt]
          MountPoints:
            - SourceVolume: sock
              ContainerPath: /var/run/docker.sock
            - SourceVolume: logs
              ContainerPath: /var/log/api
          PortMappings:
            - ContainerPort: 8080
          HealthCheck:
            Command: [CMD-SHELL, 'curl -f http://localhost:8080/ || exit 1']
        - Name: worker
          Image: ghcr.io/example/worker:1.0
          Privileged: true
`;

/** The same model whether the loader keeps CloudFormation's short tags or drops them. */
function checkTemplate(containers: readonly Container[]): void {
  assert.deepEqual(
    containers.map((c) => c.subject.name),
    ['ApiTask/api', 'ApiTask/worker'],
  );
  const [api, worker] = containers as [Container, Container];
  const p = 'Resources.ApiTask.Properties';
  // Intrinsics are unknowable: never read as the text they reference.
  assert.deepEqual(api.image, { origin: 'absent', path: `${p}.ContainerDefinitions[0].Image` });
  assert.deepEqual(api.privileged, { origin: 'absent', path: `${p}.ContainerDefinitions[0].Privileged` });
  assert.deepEqual(api.networkMode, { origin: 'absent', path: `${p}.NetworkMode` });
  assert.equal(api.networks.origin, 'absent');
  assert.equal(api.ports.origin, 'absent');
  assert.deepEqual(val(api.exposedPorts), ['8080/tcp']);
  // `!Ref ExtraCap` and `!Ref SecOpt` are unknowable, with their tag or without (then "ExtraCap", "SecOpt").
  assert.deepEqual(api.capAdd, { origin: 'explicit', value: ['SYS_PTRACE'], path: `${p}.ContainerDefinitions[0].LinuxParameters.Capabilities.Add` });
  assert.equal(api.noNewPrivileges.origin, 'absent');
  assert.equal(api.selinux.origin, 'absent');
  assert.deepEqual(api.pidMode, { origin: 'inherited', value: 'task', path: `${p}.PidMode` });
  // Strings for numbers and booleans, as CloudFormation allows.
  assert.deepEqual(api.readOnlyRootfs, { origin: 'explicit', value: true, path: `${p}.ContainerDefinitions[0].ReadonlyRootFilesystem` });
  assert.deepEqual(api.memory, { origin: 'explicit', value: 256 * 1024 * 1024, path: `${p}.ContainerDefinitions[0].Memory` });
  assert.deepEqual(api.nanoCpus, { origin: 'inherited', value: 500_000_000, path: `${p}.Cpu` });
  // Task memory is an intrinsic: a container without its own limit has an unknown one.
  assert.deepEqual(worker.memory, { origin: 'absent', path: `${p}.ContainerDefinitions[1].Memory` });
  assert.deepEqual(
    val(api.mounts).map((m) => [m.type, m.source, m.destination]),
    [
      ['bind', '/var/run/docker.sock', '/var/run/docker.sock'],
      // `!Ref LogDir`: a host path only known at deploy time (dropped tag: "LogDir", not an absolute path).
      ['bind', '', '/var/log/api'],
    ],
  );
  assert.deepEqual(worker.privileged, { origin: 'explicit', value: true, path: `${p}.ContainerDefinitions[1].Privileged` });
  assert.equal(api.healthcheck.origin, 'explicit');
}

test('CloudFormation YAML with short tags, as the loader reads it today (tags dropped)', () => {
  const containers = scan(TEMPLATE, 'stack.yaml');
  checkTemplate(containers);
  const worker = containers[1]!;
  assert.equal(lineOf(worker, 'Resources.ApiTask.Properties.ContainerDefinitions[1].Privileged'), 41);
  const findings = runRules({ containers }, RULES.filter((r) => r.name === 'privileged-container' || r.name === 'docker-socket-mounted'));
  assert.deepEqual(
    findings.map((f) => [f.subject.name, f.rule.name, f.location.loc?.line]),
    [
      ['ApiTask/api', 'docker-socket-mounted', 31],
      ['ApiTask/worker', 'privileged-container', 41],
    ],
  );
});

test('CloudFormation YAML with CLOUDFORMATION_TAGS (short tags turned into long-form intrinsics)', () => {
  const docs = parseAllDocuments(TEMPLATE, { customTags: CLOUDFORMATION_TAGS, uniqueKeys: false });
  assert.ok(Array.isArray(docs));
  const doc = docs[0]!;
  assert.deepEqual(doc.errors, []);
  assert.deepEqual(doc.warnings, []);
  const value = doc.toJS() as { Resources: { ApiTask: { Properties: Record<string, unknown> } } };
  assert.deepEqual(value.Resources.ApiTask.Properties['NetworkMode'], { Ref: 'NetworkMode' });
  assert.deepEqual(value.Resources.ApiTask.Properties['Memory'], { 'Fn::If': ['IsProd', '2048', '1024'] });
  const yamlDoc: YamlDocument = { value, index: 0, locate: () => new Map() };
  checkTemplate(scanEcs(yamlDoc, 'stack.yaml').containers);
  // !GetAtt's dotted form splits like CloudFormation's.
  const getAtt = parseAllDocuments('a: !GetAtt Db.Endpoint.Address', { customTags: CLOUDFORMATION_TAGS });
  assert.ok(Array.isArray(getAtt));
  assert.deepEqual(getAtt[0]!.toJS(), { a: { 'Fn::GetAtt': ['Db', 'Endpoint.Address'] } });
});

test('withCloudFormationTags: the schema\'s own tags first, then the CloudFormation ones; parses as the array does', () => {
  const tags = withCloudFormationTags(['core-tag' as never]);
  assert.equal(tags[0], 'core-tag');
  assert.deepEqual(tags.slice(1), CLOUDFORMATION_TAGS);
  const read = (customTags: typeof CLOUDFORMATION_TAGS | typeof withCloudFormationTags) => {
    const docs = parseAllDocuments(`${TEMPLATE}\n---\nn: !!int "7"\nm: !GetAtt A.B\n`, { customTags, uniqueKeys: false });
    assert.ok(Array.isArray(docs));
    return docs.map((d) => d.toJS());
  };
  assert.deepEqual(read(withCloudFormationTags), read(CLOUDFORMATION_TAGS));
  assert.deepEqual(read(withCloudFormationTags)[1], { n: 7, m: { 'Fn::GetAtt': ['A', 'B'] } });
});

test('CloudFormation: a volume list behind !If is unknown, so its mounts are of unknown kind', () => {
  const text = `Resources:
  T:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Volumes: !If [UseHostLogs, [{Name: logs, Host: {SourcePath: /var/log}}], !Ref AWS::NoValue]
      ContainerDefinitions:
        - Name: app
          Image: app:1
          MountPoints:
            - {SourceVolume: logs, ContainerPath: /logs}
`;
  const c = only(text, 't.yaml');
  assert.deepEqual(
    val(c.mounts).map((m) => [m.type, m.source, m.destination]),
    [['unknown', 'logs', '/logs']],
  );
});

test('CloudFormation JSON with long-form intrinsics', () => {
  const template = {
    Resources: {
      Task: {
        Type: 'AWS::ECS::TaskDefinition',
        Properties: {
          NetworkMode: 'host',
          RequiresCompatibilities: ['EC2'],
          ContainerDefinitions: [
            {
              Name: 'app',
              Image: { 'Fn::Join': ['', [{ Ref: 'Repo' }, ':1.0']] },
              User: { Ref: 'AWS::NoValue' },
              Environment: [{ Name: 'DB_HOST', Value: { 'Fn::GetAtt': ['Db', 'Endpoint.Address'] } }],
              Ulimits: [{ Name: 'nofile', SoftLimit: { Ref: 'Soft' }, HardLimit: 4096 }],
            },
          ],
        },
      },
    },
  };
  const c = only(JSON.stringify(template, null, 2), 'template.json');
  assert.equal(c.subject.name, 'Task/app');
  assert.deepEqual(c.networkMode, { origin: 'inherited', value: 'host', path: 'Resources.Task.Properties.NetworkMode' });
  assert.equal(c.image.origin, 'absent');
  // AWS::NoValue removes the property.
  assert.deepEqual(c.user, { origin: 'default', value: '', path: 'Resources.Task.Properties.ContainerDefinitions[0].User' });
  assert.deepEqual(val(c.env), [{ path: 'Resources.Task.Properties.ContainerDefinitions[0].Environment[0]', name: 'DB_HOST', value: undefined, fromSecret: false }]);
  const [u] = val(c.ulimits);
  assert.ok(u && Number.isNaN(u.soft) && u.hard === 4096);
  assert.ok(isEcs(template));
  assert.ok(!isEcs({ Resources: { Bucket: { Type: 'AWS::S3::Bucket' } } }));
});

test('a bare list of container definitions (Terraform) with --kind ecs: task-level facts unknown', () => {
  const text = '[{"name":"app","image":"app:1","portMappings":[{"containerPort":80}],"mountPoints":[{"sourceVolume":"data","containerPath":"/data"}]}]';
  const [c] = scan(text, 'containers.json', 'ecs');
  assert.ok(c);
  assert.equal(c.subject.name, 'app');
  assert.deepEqual(c.image, { origin: 'explicit', value: 'app:1', path: '[0].image' });
  for (const k of ['networkMode', 'pidMode', 'ipcMode', 'networks', 'ports', 'memory', 'nanoCpus'] as const) assert.equal(c[k].origin, 'absent', k);
  assert.deepEqual(
    val(c.mounts).map((m) => [m.type, m.source, m.destination]),
    [['unknown', 'data', '/data']],
  );
  assert.deepEqual(val(c.exposedPorts), ['80/tcp']);
  assert.equal(lineOf(c, '[0].image'), 1);
  // Without --kind a bare list is not claimed.
  assert.deepEqual(scan(text, 'containers.json'), []);
});

test('detection: only task definitions are claimed', () => {
  assert.ok(isEcs({ containerDefinitions: [] }));
  assert.ok(isEcs({ taskDefinition: { containerDefinitions: [] } }));
  // An ECS service definition names its task definition by string.
  assert.ok(!isEcs({ serviceName: 'web', taskDefinition: 'web:12', desiredCount: 2 }));
  assert.ok(!isEcs({ services: { web: { image: 'nginx' } } }));
  assert.ok(!isEcs([{ name: 'a', image: 'b' }]));
  assert.ok(!isEcs(null));
});

test('wrong types are not written, never a crash', () => {
  const c = only(
    JSON.stringify({
      family: 7,
      networkMode: ['host'],
      pidMode: 'HOST',
      memory: 'lots',
      volumes: 'none',
      containerDefinitions: [
        'not a container',
        {
          name: ['x'],
          image: 5,
          privileged: 'yes',
          user: { id: 0 },
          linuxParameters: { capabilities: { add: 'SYS_ADMIN', drop: [null, 'NOT_A_CAP', 'net_raw'] }, devices: [{}, { hostPath: '/dev/kvm' }] },
          portMappings: [{ containerPort: 'http' }, { containerPort: 70000 }, { containerPortRange: '8000-8002' }],
          mountPoints: { sourceVolume: 'x' },
          environment: [null, { name: 'A' }],
          healthCheck: { command: 'curl localhost' },
          ulimits: [{ softLimit: 1 }],
          cpu: '512',
          memory: -5,
          dockerSecurityOptions: [1, 'no-new-privileges:false'],
        },
      ],
    }),
  );
  assert.equal(c.subject.name, 'containerDefinitions[1]');
  assert.deepEqual(c.image, { origin: 'explicit', value: '5', path: 'containerDefinitions[1].image' });
  assert.deepEqual(c.networkMode, { origin: 'default', value: 'bridge', path: 'networkMode' });
  assert.deepEqual(c.pidMode, { origin: 'inherited', value: 'host', path: 'pidMode' });
  assert.deepEqual(c.memory, { origin: 'default', value: 0, path: 'containerDefinitions[1].memory' });
  assert.deepEqual(c.privileged, { origin: 'default', value: false, path: 'containerDefinitions[1].privileged' });
  assert.deepEqual(c.user, { origin: 'default', value: '', path: 'containerDefinitions[1].user' });
  assert.deepEqual(c.capAdd, { origin: 'default', value: [], path: 'containerDefinitions[1].linuxParameters.capabilities.add' });
  assert.deepEqual(val(c.capDrop), ['NET_RAW']);
  assert.deepEqual(
    val(c.devices).map((d) => [d.pathOnHost, d.pathInContainer, d.permissions]),
    [['/dev/kvm', '/dev/kvm', 'rwm']],
  );
  assert.deepEqual(
    val(c.ports).map((p) => p.containerPort),
    [8000, 8001, 8002],
  );
  assert.deepEqual(c.mounts, { origin: 'default', value: [], path: 'containerDefinitions[1].mountPoints' });
  assert.deepEqual(val(c.env), [{ path: 'containerDefinitions[1].environment[1]', name: 'A', value: undefined, fromSecret: false }]);
  assert.equal(val(c.healthcheck), undefined);
  assert.deepEqual(val(c.ulimits), []);
  assert.deepEqual(c.cpuShares, { origin: 'explicit', value: 512, path: 'containerDefinitions[1].cpu' });
  assert.deepEqual(c.noNewPrivileges, { origin: 'explicit', value: false, path: 'containerDefinitions[1].dockerSecurityOptions[1]' });
});

test('--kind ecs on something else is an InputError at the document; an empty document is nothing', () => {
  assert.throws(
    () => scan('services:\n  web:\n    image: nginx\n', 'compose.yaml', 'ecs'),
    (e: unknown) => e instanceof InputError && /^compose\.yaml:1:1: not an ECS task definition/.test(e.message),
  );
  assert.deepEqual(scan('---\n', 'empty.yaml', 'ecs'), []);
  // A template without task definitions holds no containers.
  assert.deepEqual(scan('Resources:\n  B:\n    Type: AWS::S3::Bucket\n', 't.yaml', 'ecs'), []);
});

/** Runs every ECS fixture through scanText with its folder's rule. */
const rulesDir = join(fixturesDir, 'rules');
for (const ruleName of readdirSync(rulesDir)) {
  const dir = join(rulesDir, ruleName);
  const cases = readdirSync(dir).filter((f) => f.endsWith('.ecs.json') || f.endsWith('.cfn.yaml'));
  if (!cases.length) continue;
  test(`ECS fixtures of ${ruleName}`, async (t) => {
    const rule = RULES.find((r) => r.name === ruleName);
    assert.ok(rule);
    for (const name of cases) {
      await t.test(name, () => {
        const text = readFileSync(join(dir, name), 'utf8');
        const result = scanText(text, `test/rules/${ruleName}/${name}`, io);
        assert.deepEqual(result.kinds, ['ecs'], 'detected as ECS');
        assert.ok(result.containers.length > 0);
        const findings = runRules({ containers: result.containers }, [rule]);
        if (name.startsWith('good')) {
          assert.deepEqual(
            findings.map((f) => f.location.path),
            [],
          );
          return;
        }
        assert.ok(findings.length > 0, 'a bad case has findings');
        if (name.endsWith('.json')) {
          const expectedFile = join(dir, `${name}.expected.json`);
          assert.ok(existsSync(expectedFile), `missing ${expectedFile}`);
          const expected = JSON.parse(readFileSync(expectedFile, 'utf8')) as { rule: string; path: string; line?: number; severity?: string }[];
          assert.deepEqual(
            findings.map((f, i) => ({
              rule: f.rule.name,
              path: f.location.path,
              ...(expected[i]?.line !== undefined ? { line: f.location.loc?.line } : {}),
              ...(expected[i]?.severity !== undefined ? { severity: f.severity } : {}),
            })),
            expected,
          );
        } else {
          const expected = text
            .split('\n')
            .flatMap((l, i) => {
              const m = /#\s*expect:\s*(.+)$/.exec(l);
              return m ? m[1]!.split(',').map((n) => `${n.trim()}@${i + 1}`) : [];
            })
            .sort();
          assert.deepEqual(findings.map((f) => `${f.rule.name}@${f.location.loc?.line}`).sort(), expected);
        }
      });
    }
  });
}

test('the real-world ECS service is read whole', () => {
  const text = readFileSync(join(fixturesDir, 'scan', 'real-world', 'ecs-service.json'), 'utf8');
  const containers = scan(text, 'test/scan/real-world/ecs-service.json');
  assert.deepEqual(
    containers.map((c) => c.subject.name),
    ['storefront-api/api', 'storefront-api/otel-collector'],
  );
  const names = new Set(runRules({ containers }, RULES).map((f) => `${f.subject.name} ${f.rule.name}`));
  assert.ok(names.has('storefront-api/otel-collector runs-as-root'));
  assert.ok(!names.has('storefront-api/api runs-as-root'));
  assert.ok(!names.has('storefront-api/api privileged-host-port'));
});

/** The adapter's boundary: a result or an InputError naming file:line:column, never another exception. */
function resultOrInputError(run: () => readonly Container[]): void {
  try {
    const containers = run();
    for (const f of runRules({ containers }, RULES)) assert.ok(typeof f.location.path === 'string');
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    assert.match(e.message, /^f\.(json|yaml):\d+:\d+: /);
  }
}

function viaYaml(text: string, kind?: 'ecs'): readonly Container[] {
  return scanText(text, 'f.yaml', io, kind).containers;
}

test('property: arbitrary JSON values, as documents and inside each task-definition shape', () => {
  const value = fc.jsonValue({ maxDepth: 4 });
  const shapes = fc.oneof(
    value,
    value.map((v) => ({ family: 'f', containerDefinitions: [v] })),
    value.map((v) => ({ taskDefinition: { family: 'f', containerDefinitions: v } })),
    fc.record({ networkMode: value, volumes: value, cpu: value, memory: value, requiresCompatibilities: value }).map((t) => ({ ...t, containerDefinitions: [{ name: 'a' }] })),
    fc.dictionary(fc.constantFrom('name', 'image', 'user', 'privileged', 'linuxParameters', 'mountPoints', 'volumesFrom', 'portMappings', 'environment', 'secrets', 'ulimits', 'healthCheck', 'dockerSecurityOptions', 'cpu', 'memory', 'command'), value).map((d) => ({
      volumes: [{ name: 'v', host: { sourcePath: '/etc' } }],
      containerDefinitions: [d, { name: 'a', volumesFrom: [{ sourceContainer: 'a' }] }],
    })),
    fc
      .dictionary(fc.constantFrom('Name', 'Image', 'User', 'Privileged', 'LinuxParameters', 'MountPoints', 'PortMappings', 'Environment', 'HealthCheck', 'Memory'), value)
      .map((d) => ({ Resources: { T: { Type: 'AWS::ECS::TaskDefinition', Properties: { NetworkMode: 'bridge', ContainerDefinitions: [d] } } } })),
  );
  fc.assert(
    fc.property(shapes, fc.boolean(), (v, forced) => {
      const text = JSON.stringify(v, null, 1);
      resultOrInputError(() => scanText(text, 'f.json', io, forced ? 'ecs' : undefined).containers);
    }),
    { numRuns: 3000 },
  );
});

test('property: arbitrary text through the YAML loader into the adapter', () => {
  const keys = fc.constantFrom('containerDefinitions', 'taskDefinition', 'Resources', 'Type: AWS::ECS::TaskDefinition', '!Ref X', '- ', ': ', '\n  ', '[', '{', '"', '*a', '&a ');
  const text = fc.oneof(fc.string({ maxLength: 200 }), fc.array(fc.oneof(keys, fc.string({ maxLength: 5 })), { maxLength: 40 }).map((parts) => parts.join('')));
  fc.assert(
    fc.property(text, (t) => {
      resultOrInputError(() => viaYaml(t, 'ecs'));
      resultOrInputError(() => viaYaml(t));
      resultOrInputError(() => loadYamlDocuments(t, 'f.yaml').flatMap((d) => (isEcs(d.value) ? scanEcs(d, 'f.yaml').containers : [])));
    }),
    { numRuns: 2000 },
  );
});
