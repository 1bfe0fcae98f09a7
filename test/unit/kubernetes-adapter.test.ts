/** The Kubernetes adapter: manifests into the model, with paths into the document and positions in the file. */
import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { InputError } from '../../src/core/errors.js';
import { runRules } from '../../src/core/engine.js';
import { RULES } from '../../src/rules/index.js';
import type { Container } from '../../src/model/container.js';
import type { Known, Value } from '../../src/model/value.js';
import { loadYamlDocuments, type YamlDocument } from '../../src/inputs/yaml/documents.js';
import { scanText } from '../../src/inputs/scan.js';
import { APPARMOR_RUNTIME_DEFAULT, ignoredRuleIds, isKubernetes, NON_ROOT_USER, scanKubernetes } from '../../src/inputs/kubernetes/scan.js';
import { cpuSharesOf, memoryBytes, nanoCpus, parseQuantity } from '../../src/inputs/kubernetes/quantity.js';

const FILE = 'deploy/app.k8s.yaml';
const io = { readText: () => undefined, env: {} };

function scan(text: string): Container[] {
  return loadYamlDocuments(text, FILE).flatMap((doc) => [...scanKubernetes(doc, FILE).containers]);
}

function only(text: string): Container {
  const cs = scan(text);
  assert.equal(cs.length, 1, `expected one container, got ${cs.length}`);
  return cs[0]!;
}

/** The value of a known fact; fails the test when it is absent. */
function val<T>(v: Value<T>): T {
  assert.notEqual(v.origin, 'absent', `${v.path} is absent`);
  return (v as Known<T>).value;
}

/** The line a path is placed on (the engine's fallback to the nearest parent is not applied here). */
function lineOf(c: Container, path: string): number | undefined {
  return c.source.locate?.([path]).get(path)?.line;
}

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: orders
  namespace: shop
spec:
  template:
    metadata:
      annotations:
        container.apparmor.security.beta.kubernetes.io/api: localhost/k8s-orders
    spec:
      hostNetwork: true
      hostUsers: false
      securityContext:
        runAsUser: 1000
        runAsGroup: 3000
        seccompProfile:
          type: RuntimeDefault
        seLinuxOptions:
          level: "s0:c1,c2"
      volumes:
        - name: logs
          hostPath:
            path: /var/log
        - name: cache
          emptyDir:
            medium: Memory
        - name: config
          configMap:
            name: orders
      containers:
        - name: api
          image: ghcr.io/acme/orders:1.2.3
          command: ["/app/orders"]
          args: ["serve", "--port", 8080]
          ports:
            - containerPort: 8080
            - containerPort: 53
              protocol: UDP
              hostPort: 53
              hostIP: 127.0.0.1
          env:
            - name: LOG_LEVEL
              value: debug
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: db
                  key: password
            - name: NODE_NAME
              valueFrom:
                fieldRef:
                  fieldPath: spec.nodeName
          securityContext:
            runAsUser: 0
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              add: ["CAP_net_admin", "SYS_TIME"]
              drop: ["ALL"]
            seLinuxOptions:
              type: spc_t
          resources:
            requests:
              cpu: 250m
            limits:
              cpu: 1500m
              memory: 512Mi
          readinessProbe:
            httpGet:
              path: /ready
              port: 8080
          volumeMounts:
            - name: logs
              mountPath: /host/logs
              readOnly: true
              mountPropagation: HostToContainer
            - name: cache
              mountPath: /cache
            - name: config
              mountPath: /etc/orders
              mountPropagation: Bidirectional
`;

test('a Deployment container: every field, with paths, origins and positions', () => {
  const c = only(DEPLOYMENT);
  const p = 'spec.template.spec.containers[0]';
  assert.deepEqual(c.subject, { kind: 'container', name: 'shop/Deployment/orders/api' });
  assert.equal(c.source.kind, 'kubernetes');
  assert.equal(c.source.file, FILE);

  assert.deepEqual(c.image, { origin: 'explicit', value: 'ghcr.io/acme/orders:1.2.3', path: `${p}.image` });
  assert.equal(lineOf(c, c.image.path), 33);
  // The container's runAsUser wins over the pod's; the pod's runAsGroup is added to it.
  assert.deepEqual(c.user, { origin: 'explicit', value: '0:3000', path: `${p}.securityContext.runAsUser` });
  assert.deepEqual(c.privileged, { origin: 'default', value: false, path: `${p}.securityContext.privileged` });
  assert.deepEqual(c.capAdd, { origin: 'explicit', value: ['NET_ADMIN', 'SYS_TIME'], path: `${p}.securityContext.capabilities.add` });
  assert.deepEqual(c.capDrop, { origin: 'explicit', value: ['ALL'], path: `${p}.securityContext.capabilities.drop` });
  assert.deepEqual(c.apparmor, {
    origin: 'explicit',
    value: 'k8s-orders',
    path: 'spec.template.metadata.annotations["container.apparmor.security.beta.kubernetes.io/api"]',
  });
  assert.equal(lineOf(c, c.apparmor.path), 10);
  assert.deepEqual(c.seccomp, { origin: 'inherited', value: 'default', path: 'spec.template.spec.securityContext.seccompProfile.type' });
  assert.equal(lineOf(c, c.seccomp.path), 18);
  // The container's seLinuxOptions replace the pod's whole (the pod's level does not carry over).
  assert.deepEqual(c.selinux, { origin: 'explicit', value: ['type:spc_t'], path: `${p}.securityContext.seLinuxOptions.type` });
  assert.deepEqual(c.noNewPrivileges, { origin: 'explicit', value: true, path: `${p}.securityContext.allowPrivilegeEscalation` });
  assert.deepEqual(c.networkMode, { origin: 'inherited', value: 'host', path: 'spec.template.spec.hostNetwork' });
  assert.deepEqual(c.utsMode, { origin: 'inherited', value: 'host', path: 'spec.template.spec.hostNetwork' });
  assert.equal(lineOf(c, c.networkMode.path), 12);
  assert.deepEqual(c.pidMode, { origin: 'default', value: '', path: 'spec.template.spec.hostPID' });
  assert.deepEqual(c.ipcMode, { origin: 'default', value: '', path: 'spec.template.spec.hostIPC' });
  assert.deepEqual(c.usernsMode, { origin: 'inherited', value: 'private', path: 'spec.template.spec.hostUsers' });
  assert.equal(c.networks.origin, 'absent');

  assert.equal(c.mounts.origin, 'explicit');
  assert.deepEqual(val(c.mounts), [
    { path: `${p}.volumeMounts[0]`, type: 'bind', source: '/var/log', destination: '/host/logs', readOnly: true, propagation: 'rslave' },
    { path: `${p}.volumeMounts[1]`, type: 'tmpfs', source: 'cache', destination: '/cache', readOnly: false, propagation: '' },
    { path: `${p}.volumeMounts[2]`, type: 'volume', source: 'config', destination: '/etc/orders', readOnly: false, propagation: 'rshared' },
  ]);
  assert.equal(lineOf(c, `${p}.volumeMounts[0]`), 74);

  assert.deepEqual(c.ports, {
    origin: 'explicit',
    value: [{ path: `${p}.ports[1]`, containerPort: 53, protocol: 'udp', hostIp: '127.0.0.1', hostPort: 53 }],
    path: `${p}.ports`,
  });
  assert.equal(lineOf(c, `${p}.ports[1]`), 38);
  assert.deepEqual(c.exposedPorts, { origin: 'explicit', value: ['8080/tcp', '53/udp'], path: `${p}.ports` });

  assert.deepEqual(c.memory, { origin: 'explicit', value: 512 * 2 ** 20, path: `${p}.resources.limits.memory` });
  assert.deepEqual(c.nanoCpus, { origin: 'explicit', value: 1.5e9, path: `${p}.resources.limits.cpu` });
  assert.deepEqual(c.cpuShares, { origin: 'explicit', value: 256, path: `${p}.resources.requests.cpu` });
  assert.deepEqual(c.cpuQuota, { origin: 'default', value: 0, path: `${p}.resources.limits.cpu` });
  assert.deepEqual(c.readOnlyRootfs, { origin: 'explicit', value: true, path: `${p}.securityContext.readOnlyRootFilesystem` });
  assert.deepEqual(c.healthcheck, { origin: 'explicit', value: { test: ['PROBE', 'readinessProbe', 'httpGet'] }, path: `${p}.readinessProbe` });

  assert.deepEqual(c.env, {
    origin: 'explicit',
    path: `${p}.env`,
    value: [
      { path: `${p}.env[0]`, name: 'LOG_LEVEL', value: 'debug', fromSecret: false },
      { path: `${p}.env[1]`, name: 'DB_PASSWORD', value: undefined, fromSecret: true },
      { path: `${p}.env[2]`, name: 'NODE_NAME', value: undefined, fromSecret: false },
    ],
  });
  assert.deepEqual(c.entrypoint, { origin: 'explicit', value: ['/app/orders'], path: `${p}.command` });
  assert.deepEqual(c.cmd, { origin: 'explicit', value: ['serve', '--port', '8080'], path: `${p}.args` });

  // What Kubernetes cannot express is absent, so no rule speaks of it.
  for (const k of ['state', 'devices', 'ulimits', 'pidsLimit', 'restartPolicy', 'cgroupParent', 'health', 'processes'] as const) {
    assert.equal(c[k].origin, 'absent', k);
  }
});

test('nothing written: the runtime defaults, placed where the key would be', () => {
  const c = only(`apiVersion: v1
kind: Pod
metadata:
  name: redis
spec:
  containers:
    - name: redis
      image: redis:7
`);
  const p = 'spec.containers[0]';
  assert.equal(c.subject.name, 'Pod/redis/redis');
  assert.deepEqual(c.user, { origin: 'default', value: '', path: `${p}.securityContext.runAsUser` });
  assert.deepEqual(c.seccomp, { origin: 'default', value: 'unconfined', path: `${p}.securityContext.seccompProfile` });
  assert.deepEqual(c.apparmor, { origin: 'default', value: APPARMOR_RUNTIME_DEFAULT, path: `${p}.securityContext.appArmorProfile` });
  assert.deepEqual(c.selinux, { origin: 'default', value: [], path: `${p}.securityContext.seLinuxOptions` });
  assert.deepEqual(c.noNewPrivileges, { origin: 'default', value: false, path: `${p}.securityContext.allowPrivilegeEscalation` });
  assert.deepEqual(c.usernsMode, { origin: 'default', value: '', path: 'spec.hostUsers' });
  assert.deepEqual(c.memory, { origin: 'default', value: 0, path: `${p}.resources.limits.memory` });
  assert.deepEqual(c.nanoCpus, { origin: 'default', value: 0, path: `${p}.resources.limits.cpu` });
  assert.deepEqual(c.cpuShares, { origin: 'default', value: 0, path: `${p}.resources.requests.cpu` });
  assert.deepEqual(c.healthcheck, { origin: 'default', value: undefined, path: `${p}.livenessProbe` });
  assert.deepEqual(c.mounts, { origin: 'default', value: [], path: `${p}.volumeMounts` });
  assert.deepEqual(c.ports, { origin: 'default', value: [], path: `${p}.ports` });
  assert.deepEqual(c.env, { origin: 'default', value: [], path: `${p}.env` });
  assert.deepEqual(c.entrypoint, { origin: 'default', value: [], path: `${p}.command` });

  // Findings about unwritten keys land on the container (the nearest parent in the file).
  const findings = runRules({ containers: [c] }, RULES);
  const seccomp = findings.find((f) => f.rule.name === 'seccomp-unconfined');
  assert.equal(seccomp?.location.loc?.line, 7);
  assert.equal(seccomp?.location.loc?.column, 7);
  assert.match(seccomp!.remediation, /seccompProfile/);
  assert.ok(!findings.some((f) => f.rule.name === 'apparmor-unconfined'));
});

test('pod-level securityContext is inherited, with the pod-level path; the container wins field by field', () => {
  const [a, b] = scan(`apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  template:
    spec:
      securityContext:
        runAsNonRoot: true
        seccompProfile:
          type: Unconfined
        appArmorProfile:
          type: Unconfined
        seLinuxOptions:
          type: spc_t
      containers:
        - name: a
          image: postgres:16
        - name: b
          image: postgres:16
          securityContext:
            runAsUser: 999
            seccompProfile:
              type: Localhost
              localhostProfile: pg.json
            appArmorProfile:
              type: RuntimeDefault
`);
  const pod = 'spec.template.spec.securityContext';
  assert.deepEqual(a!.user, { origin: 'inherited', value: NON_ROOT_USER, path: `${pod}.runAsNonRoot` });
  assert.deepEqual(a!.seccomp, { origin: 'inherited', value: 'unconfined', path: `${pod}.seccompProfile.type` });
  assert.deepEqual(a!.apparmor, { origin: 'inherited', value: 'unconfined', path: `${pod}.appArmorProfile.type` });
  assert.deepEqual(a!.selinux, { origin: 'inherited', value: ['type:spc_t'], path: `${pod}.seLinuxOptions.type` });
  assert.equal(lineOf(a!, a!.seccomp.path), 11);
  const own = 'spec.template.spec.containers[1].securityContext';
  assert.deepEqual(b!.user, { origin: 'explicit', value: '999', path: `${own}.runAsUser` });
  assert.deepEqual(b!.seccomp, { origin: 'explicit', value: 'custom', path: `${own}.seccompProfile.type` });
  assert.deepEqual(b!.apparmor, { origin: 'explicit', value: APPARMOR_RUNTIME_DEFAULT, path: `${own}.appArmorProfile.type` });

  // runs-as-root accepts the enforced non-root user.
  assert.deepEqual(runRules({ containers: [a!, b!] }, RULES.filter((r) => r.name === 'runs-as-root')), []);
});

test('AppArmor: the container field, then the annotation, then the pod field', () => {
  const [withField, withAnnotation, withPod] = scan(`apiVersion: v1
kind: Pod
metadata:
  name: p
  annotations:
    container.apparmor.security.beta.kubernetes.io/a: unconfined
    container.apparmor.security.beta.kubernetes.io/b: unconfined
spec:
  securityContext:
    appArmorProfile:
      type: Localhost
      localhostProfile: pod-profile
  containers:
    - name: a
      image: x:1
      securityContext:
        appArmorProfile:
          type: RuntimeDefault
    - name: b
      image: x:1
    - name: c
      image: x:1
`);
  assert.equal(val(withField!.apparmor), APPARMOR_RUNTIME_DEFAULT);
  assert.deepEqual(withAnnotation!.apparmor, {
    origin: 'explicit',
    value: 'unconfined',
    path: 'metadata.annotations["container.apparmor.security.beta.kubernetes.io/b"]',
  });
  assert.equal(lineOf(withAnnotation!, withAnnotation!.apparmor.path), 7);
  assert.deepEqual(withPod!.apparmor, { origin: 'inherited', value: 'pod-profile', path: 'spec.securityContext.appArmorProfile.type' });
});

test('privileged or SYS_ADMIN rule out allowPrivilegeEscalation: false', () => {
  const [priv, sysAdmin] = scan(`apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - name: a
      image: x:1
      securityContext: {privileged: true, allowPrivilegeEscalation: false}
    - name: b
      image: x:1
      securityContext:
        allowPrivilegeEscalation: false
        capabilities: {add: [CHOWN, CAP_SYS_ADMIN]}
`);
  assert.deepEqual(priv!.noNewPrivileges, { origin: 'explicit', value: false, path: 'spec.containers[0].securityContext.privileged' });
  assert.deepEqual(sysAdmin!.noNewPrivileges, {
    origin: 'explicit',
    value: false,
    path: 'spec.containers[1].securityContext.capabilities.add[1]',
  });
});

test('every workload kind, init/ephemeral containers, Lists and typed lists', () => {
  const template = (indent: string) =>
    ['spec:', '  containers:', '    - name: main', '      image: x:1'].map((l) => indent + l).join('\n');
  const text = [
    `apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n${template('')}`,
    ...['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job'].map(
      (k) => `apiVersion: apps/v1\nkind: ${k}\nmetadata: {name: a}\nspec:\n  template:\n${template('    ')}`,
    ),
    `apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: a}\nspec:\n  jobTemplate:\n    spec:\n      template:\n${template('        ')}`,
    `apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec:\n  ports: [{port: 80}]`,
    `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {a: b}`,
  ].join('\n---\n');
  const cs = scan(text);
  assert.deepEqual(
    cs.map((c) => [c.subject.name, c.image.path]),
    [
      ['Pod/a/main', 'spec.containers[0].image'],
      ['Deployment/a/main', 'spec.template.spec.containers[0].image'],
      ['StatefulSet/a/main', 'spec.template.spec.containers[0].image'],
      ['DaemonSet/a/main', 'spec.template.spec.containers[0].image'],
      ['ReplicaSet/a/main', 'spec.template.spec.containers[0].image'],
      ['ReplicationController/a/main', 'spec.template.spec.containers[0].image'],
      ['Job/a/main', 'spec.template.spec.containers[0].image'],
      ['CronJob/a/main', 'spec.jobTemplate.spec.template.spec.containers[0].image'],
    ],
  );
  // Jobs run to completion: no health check question.
  assert.equal(cs[6]!.healthcheck.origin, 'absent');
  assert.equal(cs[7]!.healthcheck.origin, 'absent');
  assert.equal(cs[1]!.healthcheck.origin, 'default');
  // Each document places its own paths: the CronJob's image is on its own line.
  const cron = cs[7]!;
  assert.equal(lineOf(cron, cron.image.path), text.split('\n').findIndex((l, i, all) => l.includes('image: x:1') && all.slice(0, i).some((x) => x.includes('CronJob'))) + 1);

  const list = scan(`apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Pod
    metadata: {name: a, namespace: ns}
    spec:
      initContainers:
        - name: init
          image: x:1
        - name: sidecar
          image: x:1
          restartPolicy: Always
      containers:
        - name: main
          image: x:1
      ephemeralContainers:
        - name: debugger
          image: busybox:1
  - apiVersion: v1
    kind: Service
    metadata: {name: a}
  - 42
`);
  assert.deepEqual(
    list.map((c) => [c.subject.name, c.image.path, c.healthcheck.origin, c.memory.origin, c.ports.origin]),
    [
      ['ns/Pod/a/init', 'items[0].spec.initContainers[0].image', 'absent', 'default', 'default'],
      ['ns/Pod/a/sidecar', 'items[0].spec.initContainers[1].image', 'default', 'default', 'default'],
      ['ns/Pod/a/main', 'items[0].spec.containers[0].image', 'default', 'default', 'default'],
      ['ns/Pod/a/debugger', 'items[0].spec.ephemeralContainers[0].image', 'absent', 'absent', 'absent'],
    ],
  );
  assert.equal(lineOf(list[2]!, list[2]!.image.path), 16);

  const typed = scan(`apiVersion: v1
kind: PodList
items:
  - metadata: {name: web-0}
    spec:
      containers: [{name: web, image: "nginx:1.27"}]
`);
  assert.deepEqual(typed.map((c) => c.subject.name), ['Pod/web-0/web']);
});

test('hostPath subPath, unknown volumes, pod-level resources and namespaces', () => {
  const c = only(`apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  hostPID: true
  hostIPC: false
  hostUsers: true
  resources:
    limits: {memory: 1Gi, cpu: "2"}
    requests: {cpu: "1"}
  volumes:
    - name: root
      hostPath: {path: /}
  containers:
    - name: a
      image: x:1
      volumeMounts:
        - {name: root, mountPath: /etc-host, subPath: etc/../etc/ssh}
        - {name: missing, mountPath: /m}
`);
  assert.deepEqual(val(c.mounts).map((m) => [m.type, m.source]), [
    ['bind', '/etc/ssh'],
    ['volume', 'missing'],
  ]);
  assert.deepEqual(c.pidMode, { origin: 'inherited', value: 'host', path: 'spec.hostPID' });
  assert.deepEqual(c.ipcMode, { origin: 'inherited', value: '', path: 'spec.hostIPC' });
  assert.deepEqual(c.usernsMode, { origin: 'inherited', value: 'host', path: 'spec.hostUsers' });
  assert.deepEqual(c.memory, { origin: 'inherited', value: 2 ** 30, path: 'spec.resources.limits.memory' });
  assert.deepEqual(c.nanoCpus, { origin: 'inherited', value: 2e9, path: 'spec.resources.limits.cpu' });
  assert.deepEqual(c.cpuShares, { origin: 'inherited', value: 1024, path: 'spec.resources.requests.cpu' });
});

test('wrong types count as not written', () => {
  const c = only(`apiVersion: v1
kind: Pod
metadata: {name: 7}
spec:
  hostNetwork: "true"
  securityContext: []
  volumes: {name: x}
  containers:
    - name: a
      image: [x]
      securityContext:
        privileged: "true"
        runAsUser: "0"
        capabilities: {add: SYS_ADMIN, drop: [ALL, 3, null]}
        seccompProfile: {type: Bogus}
      resources: {limits: {memory: lots, cpu: -1}}
      ports: [{containerPort: "80", hostPort: 80}, null, {containerPort: 81, hostPort: "81"}]
      env: [{value: x}, {name: A, value: 3}, {name: B}]
      volumeMounts: "x"
      livenessProbe: true
      command: "run"
    - "not a container"
`);
  assert.equal(c.subject.name, 'Pod/(unnamed)/a');
  assert.equal(c.image.origin, 'default');
  assert.equal(c.privileged.origin, 'default');
  assert.equal(c.user.origin, 'default');
  assert.equal(c.networkMode.origin, 'default');
  assert.equal(c.capAdd.origin, 'default');
  assert.deepEqual(val(c.capDrop), ['ALL']);
  assert.equal(val(c.seccomp), 'unconfined');
  assert.equal(c.seccomp.origin, 'default');
  assert.equal(c.memory.origin, 'default');
  assert.equal(c.nanoCpus.origin, 'default');
  assert.deepEqual(val(c.ports), []);
  assert.deepEqual(val(c.exposedPorts), ['81/tcp']);
  assert.deepEqual(val(c.env).map((e) => [e.name, e.value]), [['A', '3'], ['B', '']]);
  assert.equal(c.mounts.origin, 'default');
  assert.equal(c.healthcheck.origin, 'default');
  assert.equal(c.entrypoint.origin, 'default');
});

test('isKubernetes and documents without containers', () => {
  assert.equal(isKubernetes({ apiVersion: 'v1', kind: 'Pod' }), true);
  assert.equal(isKubernetes({ apiVersion: 'v1' }), false);
  assert.equal(isKubernetes({ apiVersion: 1, kind: 'Pod' }), false);
  assert.equal(isKubernetes([]), false);
  assert.equal(isKubernetes(null), false);
  assert.deepEqual(scan('apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\n'), []);
  assert.deepEqual(scan('apiVersion: apps/v1\nkind: Deployment\nspec: {template: {spec: {containers: null}}}\n'), []);
});

test('the scan pipeline finds Kubernetes documents among others in one file', () => {
  const r = scanText(
    `apiVersion: v1
kind: ConfigMap
metadata: {name: c}
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers: [{name: a, image: "x:1", securityContext: {privileged: true}}]
`,
    'pod.yaml',
    io,
  );
  assert.deepEqual(r.kinds, ['kubernetes']);
  const findings = runRules({ containers: r.containers }, RULES.filter((x) => x.name === 'privileged-container'));
  assert.equal(findings.length, 1);
  assert.deepEqual(findings[0]!.location.loc && [findings[0]!.location.loc.line, findings[0]!.location.loc.column], [9, 58]);
  assert.equal(findings[0]!.remediation, 'set securityContext.privileged: false');
});

test('quantities', () => {
  assert.equal(memoryBytes('512Mi'), 536870912);
  assert.equal(memoryBytes('1G'), 1e9);
  assert.equal(memoryBytes('1e9'), 1e9);
  assert.equal(memoryBytes('1.5Gi'), 1610612736);
  assert.equal(memoryBytes('128974848'), 128974848);
  assert.equal(memoryBytes(67108864), 67108864);
  assert.equal(memoryBytes('0.3G'), 3e8);
  assert.equal(memoryBytes('100k'), 1e5);
  assert.equal(memoryBytes('1E'), 1e18);
  assert.equal(memoryBytes('500m'), 1); // half a byte rounds up
  assert.equal(nanoCpus('500m'), 5e8);
  assert.equal(nanoCpus('2'), 2e9);
  assert.equal(nanoCpus(0.25), 2.5e8);
  assert.equal(nanoCpus('0.1'), 1e8);
  assert.equal(nanoCpus('1e-3'), 1e6);
  assert.equal(nanoCpus('100u'), 1e6); // rounded up to a millicore, as the API server does
  for (const bad of ['', 'lots', '1 Gi', '-1', 'Gi', '1.2.3', '1e', '1ki', null, true, {}, -5, Number.NaN]) {
    assert.equal(parseQuantity(bad), undefined, String(bad));
  }
  assert.equal(cpuSharesOf(250), 256);
  assert.equal(cpuSharesOf(1), 2);
  assert.equal(cpuSharesOf(0), 2);
});

test('bulkhead.io/ignore on the workload or its pod template', () => {
  const [doc] = loadYamlDocuments(
    `apiVersion: apps/v1
kind: Deployment
metadata:
  name: a
  annotations:
    bulkhead.io/ignore: "BH001, KSV-0017"
spec:
  template:
    metadata:
      annotations:
        bulkhead.io/ignore: "KSV-0017,runs-as-root,,"
    spec:
      containers: []
`,
    FILE,
  );
  assert.deepEqual(ignoredRuleIds(doc!.value), ['BH001', 'KSV-0017', 'runs-as-root']);
  assert.deepEqual(ignoredRuleIds({ kind: 'Pod', metadata: { annotations: { 'bulkhead.io/ignore': 'BH002' } } }), ['BH002']);
  assert.deepEqual(ignoredRuleIds({ kind: 'Pod', metadata: { annotations: { 'bulkhead.io/ignore': 7 } } }), []);
  assert.deepEqual(ignoredRuleIds('x'), []);
  assert.deepEqual(ignoredRuleIds({ kind: 'CronJob', spec: { jobTemplate: { spec: { template: { metadata: { annotations: { 'bulkhead.io/ignore': 'a b' } } } } } } }), ['a', 'b']);
});

// --- property tests: arbitrary input gives containers or an InputError, never another exception ---

function survives(doc: YamlDocument): void {
  const { containers } = scanKubernetes(doc, FILE);
  for (const f of runRules({ containers }, RULES)) assert.ok(typeof f.location.path === 'string');
  ignoredRuleIds(doc.value);
}

const noLocate: YamlDocument['locate'] = () => new Map();

test('property: arbitrary JSON values as a document', () => {
  fc.assert(
    fc.property(fc.jsonValue(), (value) => survives({ value, index: 0, locate: noLocate })),
    { numRuns: 1000 },
  );
});

const BASE = (): Record<string, unknown> => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'a', annotations: {} },
  spec: {
    template: {
      metadata: { annotations: {} },
      spec: {
        securityContext: { runAsUser: 1 },
        volumes: [{ name: 'v', hostPath: { path: '/etc' } }],
        containers: [
          {
            name: 'c',
            image: 'x:1',
            securityContext: { capabilities: { add: ['NET_ADMIN'] }, seccompProfile: { type: 'RuntimeDefault' } },
            resources: { limits: { memory: '1Gi' } },
            ports: [{ containerPort: 80, hostPort: 80 }],
            env: [{ name: 'A', value: 'b' }],
            volumeMounts: [{ name: 'v', mountPath: '/x' }],
          },
        ],
      },
    },
  },
});

/** Every place in a realistic Deployment where a wrong value could land. */
const SLOTS: readonly (readonly (string | number)[])[] = [
  [], ['kind'], ['metadata'], ['metadata', 'name'], ['metadata', 'annotations'], ['spec'], ['spec', 'template'],
  ['spec', 'template', 'metadata'], ['spec', 'template', 'metadata', 'annotations'], ['spec', 'template', 'spec'],
  ['spec', 'template', 'spec', 'securityContext'], ['spec', 'template', 'spec', 'securityContext', 'seccompProfile'],
  ['spec', 'template', 'spec', 'volumes'], ['spec', 'template', 'spec', 'volumes', 0], ['spec', 'template', 'spec', 'volumes', 0, 'hostPath'],
  ['spec', 'template', 'spec', 'hostNetwork'], ['spec', 'template', 'spec', 'resources'], ['spec', 'template', 'spec', 'containers'],
  ['spec', 'template', 'spec', 'initContainers'], ['spec', 'template', 'spec', 'containers', 0],
  ...['name', 'image', 'securityContext', 'resources', 'ports', 'env', 'volumeMounts', 'command', 'args', 'livenessProbe'].map((k) => [
    'spec', 'template', 'spec', 'containers', 0, k,
  ]),
  ['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'capabilities'],
  ['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'capabilities', 'add'],
  ['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'appArmorProfile'],
  ['spec', 'template', 'spec', 'containers', 0, 'resources', 'limits', 'memory'],
  ['spec', 'template', 'spec', 'containers', 0, 'ports', 0],
  ['spec', 'template', 'spec', 'containers', 0, 'env', 0, 'valueFrom'],
  ['spec', 'template', 'spec', 'containers', 0, 'volumeMounts', 0],
];

function setAt(root: Record<string, unknown>, path: readonly (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  let node: unknown = root;
  for (const s of path.slice(0, -1)) node = (node as Record<string | number, unknown>)[s];
  (node as Record<string | number, unknown>)[path.at(-1)!] = value;
  return root;
}

test('a kind that names an Object property (__proto__, constructor) is not a workload, and no crash', () => {
  for (const kind of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) survives({ value: setAt(BASE(), ['kind'], kind), index: 0, locate: noLocate });
});

test('property: a realistic Deployment with an arbitrary value anywhere', () => {
  fc.assert(
    fc.property(fc.constantFrom(...SLOTS), fc.jsonValue({ maxDepth: 3 }), (slot, junk) => {
      survives({ value: setAt(BASE(), slot, junk), index: 0, locate: noLocate });
    }),
    { numRuns: 2000 },
  );
});

test('property: arbitrary text through the YAML loader', () => {
  const yamlish = fc.array(
    fc.constantFrom('apiVersion: v1\n', 'kind: Pod\n', 'kind: List\n', 'items:\n', 'spec:\n', '  containers:\n', '  - name: a\n', '    image: x\n',
      '    securityContext: {privileged: true}\n', '---\n', '- ', ': ', '{', '[', '&a ', '*a ', '"', '\n', '  ', 'hostPath: {path: /}\n'),
    { maxLength: 30 },
  ).map((parts) => parts.join(''));
  fc.assert(
    fc.property(fc.oneof(fc.string({ maxLength: 200 }), yamlish), (text) => {
      let docs: YamlDocument[];
      try {
        docs = loadYamlDocuments(text, FILE);
      } catch (e) {
        if (e instanceof InputError) return;
        throw e;
      }
      for (const doc of docs) survives(doc);
    }),
    { numRuns: 2000 },
  );
});
