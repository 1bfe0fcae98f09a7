/**
 * The Kubernetes and Nomad recipes in deploy/: bulkhead's own scan passes on
 * them with a reason for every exception, they give the audit exactly the
 * access the deploy contract names (host PID, / and the Docker socket
 * read-only, nothing privileged), the Job template and the DaemonSet agree,
 * jobs.sh stamps one valid Job per node, and the Nomad job names the same
 * host paths. No cluster and no Nomad run here: what a kubelet or a Nomad
 * client would do with them is not tested (README says so).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadYamlDocuments } from '../../src/inputs/yaml/documents.js';
import { scanKubernetes } from '../../src/inputs/kubernetes/scan.js';
import type { Container } from '../../src/model/container.js';
import type { Known, Value } from '../../src/model/value.js';
import { repoRoot, runCli } from '../support/env.js';

const K8S = join(repoRoot, 'deploy', 'kubernetes');
const NOMAD = join(repoRoot, 'deploy', 'nomad', 'bulkhead.nomad.hcl');
const JOBS_SH = join(K8S, 'jobs.sh');

/** The exceptions an auditor truly needs: each must be found, and ignored with a reason, in each workload's audit container. */
const NEEDED = ['host-pid', 'sensitive-host-path', 'docker-socket-mounted', 'runs-as-root'];

/** The access of the deploy contract: host path → path in the container, every one read-only. */
const CONTRACT_MOUNTS = [
  { source: '/', destination: '/host' },
  { source: '/var/run/docker.sock', destination: '/var/run/docker.sock' },
];
const AUDIT_ARGS = ['audit', '--root', '/host', '-f', 'json'];

/**
 * Node names as clusters name them (kubeadm, EKS, GKE, AKS). There is no
 * cluster here to record them from: these follow the shapes those providers
 * document, dots included.
 */
const NODE_NAMES = [
  'control-plane-1',
  'ip-10-0-12-34.eu-west-1.compute.internal',
  'gke-prod-default-pool-1a2b3c4d-x7k9',
  'aks-nodepool1-12345678-vmss000000',
];

type Json = Record<string, unknown>;

interface Manifest {
  readonly file: string;
  readonly text: string;
  readonly docs: Json[];
}

function manifest(name: string): Manifest {
  const file = join(K8S, name);
  const text = readFileSync(file, 'utf8');
  return { file, text, docs: loadYamlDocuments(text, `deploy/kubernetes/${name}`).map((d) => d.value as Json) };
}

function containersOf(text: string, file: string): Container[] {
  return loadYamlDocuments(text, file).flatMap((doc) => [...scanKubernetes(doc, file).containers]);
}

function val<T>(v: Value<T>): T {
  assert.notEqual(v.origin, 'absent', `${v.path} is absent`);
  return (v as Known<T>).value;
}

/** A path into plain JSON; fails the test when a step is missing. */
function get(o: unknown, ...path: (string | number)[]): unknown {
  let node = o;
  for (const s of path) {
    assert.ok(typeof node === 'object' && node !== null, `no ${path.join('.')}`);
    node = (node as Record<string | number, unknown>)[s];
  }
  return node;
}

function podSpec(workload: Json): Json {
  return get(workload, 'spec', 'template', 'spec') as Json;
}

/** The container that runs the audit: an init container in the DaemonSet, the container of the Job. */
function auditContainer(workload: Json): Json {
  const spec = podSpec(workload);
  const all = [...((spec['initContainers'] as Json[] | undefined) ?? []), ...(spec['containers'] as Json[])];
  const audit = all.filter((c) => c['name'] === 'audit');
  assert.equal(audit.length, 1, 'one container named audit');
  return audit[0]!;
}

/** The hostPath mounts of a workload's audit container, joined with their volumes: what the pod reaches on the node. */
function hostMounts(workload: Json): { name: string; source: string; type: string; destination: string; readOnly: unknown }[] {
  const volumes = new Map((podSpec(workload)['volumes'] as Json[]).map((v) => [v['name'] as string, v]));
  return (auditContainer(workload)['volumeMounts'] as Json[]).map((m) => {
    const volume = volumes.get(m['name'] as string);
    assert.ok(volume, `volume ${String(m['name'])} exists`);
    const hostPath = volume['hostPath'] as Json;
    assert.ok(hostPath, `volume ${String(m['name'])} is a hostPath`);
    return { name: m['name'] as string, source: hostPath['path'] as string, type: hostPath['type'] as string, destination: m['mountPath'] as string, readOnly: m['readOnly'] };
  });
}

const daemonSet = () => manifest('daemonset.yaml').docs[0]!;
const jobTemplate = () => manifest('job-template.yaml').docs[0]!;

/** jobs.sh run with a fake kubectl first on PATH that answers `get nodes` as kubectl's jsonpath would print `names`. */
function stampJobs(names: readonly string[], args: readonly string[] = [], kubectlExit = 0) {
  const bin = mkdtempSync(join(tmpdir(), 'bulkhead-kubectl-'));
  const log = join(bin, 'calls');
  writeFileSync(join(bin, 'nodes'), names.map((n) => `${n}\n`).join(''));
  writeFileSync(
    join(bin, 'kubectl'),
    `#!/usr/bin/env bash\nprintf '%s\\n' "$*" >> '${log}'\n` +
      `[ "$1 $2" = "get nodes" ] || { echo "fake kubectl: unexpected: $*" >&2; exit 64; }\n` +
      (kubectlExit ? `echo 'error: You must be logged in to the server (Unauthorized)' >&2; exit ${kubectlExit}\n` : `cat '${join(bin, 'nodes')}'\n`),
  );
  chmodSync(join(bin, 'kubectl'), 0o755);
  const r = spawnSync('bash', [JOBS_SH, ...args], { encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env['PATH']}` } });
  let calls = '';
  try {
    calls = readFileSync(log, 'utf8');
  } catch {
    // kubectl was not called
  }
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, calls };
}

interface Validatable {
  validate(): void;
}
type ModelClass = new (data: unknown) => Validatable;

/**
 * kubernetes-models (a devDependency) validates against the Kubernetes
 * OpenAPI schema, offline. Its modules are loaded by a computed name so that a
 * checkout whose node_modules predates the dependency still compiles; the
 * test then says to run `npm ci`, and fails under CI, where npm ci has run.
 */
async function schemaOf(apiVersion: string, kind: string): Promise<ModelClass | undefined> {
  const group = apiVersion.includes('/') ? apiVersion : `v1`;
  const specifier = `kubernetes-models/${group}/${kind}`;
  try {
    const mod = (await import(specifier)) as Record<string, ModelClass>;
    const model = mod[kind];
    assert.ok(model, `${specifier} exports ${kind}`);
    return model;
  } catch (e) {
    if ((e as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw e;
    return undefined;
  }
}

async function validateAgainstSchema(t: test.TestContext, doc: Json, where: string): Promise<boolean> {
  const model = await schemaOf(doc['apiVersion'] as string, doc['kind'] as string);
  if (!model) {
    assert.ok(process.env['CI'] !== 'true', 'kubernetes-models is not installed (npm ci installs it)');
    t.diagnostic('kubernetes-models is not installed here: run npm ci (schema validation skipped)');
    t.skip('kubernetes-models not installed: run npm ci');
    return false;
  }
  assert.doesNotThrow(() => new model(doc).validate(), `${where}: ${doc['kind'] as string} is valid against the Kubernetes schema`);
  return true;
}

test('bulkhead scan deploy/kubernetes passes at the default --fail-on; every exception is suppressed inline, with its reason', () => {
  const r = runCli(['scan', 'deploy/kubernetes', '-f', 'json', '--show-suppressed']);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const report = JSON.parse(r.stdout) as {
    findings: unknown[];
    summary: { subjects: number; failOn: string };
    notes: string[];
    suppressed: { ruleName: string; subject: { name: string }; suppression: { kind: string; reason: string; where: string } }[];
  };
  assert.equal(report.summary.failOn, 'low');
  assert.deepEqual(report.findings, []);
  assert.deepEqual(report.notes, [], 'no note (an ignore without a reason is not applied, and a note says so)');
  assert.ok(report.suppressed.length > 0);
  for (const s of report.suppressed) {
    assert.equal(s.suppression.kind, 'inline', `${s.ruleName} on ${s.subject.name}`);
    assert.ok(s.suppression.reason.trim().length >= 20, `${s.ruleName} on ${s.subject.name} at ${s.suppression.where} has a reason: "${s.suppression.reason}"`);
    assert.match(s.suppression.where, /^deploy\/kubernetes\/(daemonset|job-template)\.yaml:\d+$/);
  }
  // The ignores are not stale: each needed access is really found in both workloads' audit containers.
  for (const workload of ['DaemonSet/bulkhead-audit/audit', 'Job/bulkhead-audit-/audit']) {
    const found = report.suppressed.filter((s) => s.subject.name === `bulkhead/${workload}`).map((s) => s.ruleName);
    for (const rule of NEEDED) assert.ok(found.includes(rule), `${rule} is found, then ignored, on ${workload}: ${found.join(', ')}`);
  }
});

test('without their inline ignores the manifests fail the scan on exactly the access the audit needs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-deploy-'));
  cpSync(K8S, dir, { recursive: true });
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
    const text = readFileSync(join(dir, f), 'utf8');
    writeFileSync(join(dir, f), text.split('\n').filter((l) => !/#\s*bulkhead ignore=/.test(l)).join('\n'));
  }
  const r = runCli(['scan', '.', '-f', 'json'], { cwd: dir });
  assert.equal(r.code, 1, r.stderr);
  const rules = new Set((JSON.parse(r.stdout) as { findings: { ruleName: string }[] }).findings.map((f) => f.ruleName));
  // The access the audit needs, and two ignores about the images: no probe for a one-shot audit or a pause container, images by tag.
  assert.deepEqual([...rules].sort(), [...NEEDED, 'no-healthcheck', 'image-not-pinned'].sort());
});

test('the model of each workload: host PID, the contract mounts read-only, no privilege, the audit command', () => {
  for (const name of ['daemonset.yaml', 'job-template.yaml']) {
    const { text } = manifest(name);
    const audit = containersOf(text, name).filter((c) => c.subject.name.endsWith('/audit'));
    assert.equal(audit.length, 1, name);
    const c = audit[0]!;
    assert.equal(val(c.pidMode), 'host', name);
    assert.equal(val(c.privileged), false, name);
    assert.notEqual(val(c.networkMode), 'host', name);
    assert.deepEqual(val(c.capAdd), ['DAC_OVERRIDE'], name);
    assert.deepEqual(val(c.capDrop).map((x) => x.toUpperCase()), ['ALL'], name);
    assert.equal(val(c.readOnlyRootfs), true, name);
    assert.equal(val(c.noNewPrivileges), true, name);
    assert.equal(val(c.seccomp), 'default', name);
    assert.equal(val(c.user), '0:0', name);
    const mounts = val(c.mounts);
    assert.deepEqual(mounts.map((m) => ({ source: m.source, destination: m.destination })), CONTRACT_MOUNTS, name);
    assert.ok(mounts.every((m) => m.type === 'bind' && m.readOnly), `${name}: every host mount read-only`);
    const cmd = [...(c.entrypoint.origin === 'absent' ? [] : val(c.entrypoint)), ...val(c.cmd)];
    assert.deepEqual(cmd.slice(0, AUDIT_ARGS.length), AUDIT_ARGS, name);
    // Findings are the report, not a failure of the pod; 2 and 3 still fail it.
    assert.deepEqual(cmd.slice(cmd.indexOf('--fail-on'), cmd.indexOf('--fail-on') + 2), ['--fail-on', 'none'], name);
  }
});

test('read as data: the Job template and the DaemonSet give the audit the same access, in the same way', () => {
  const ds = daemonSet();
  const job = jobTemplate();
  for (const w of [ds, job]) {
    const spec = podSpec(w);
    assert.equal(spec['hostPID'], true);
    assert.notEqual(spec['hostNetwork'], true);
    assert.notEqual(spec['hostIPC'], true);
    assert.equal(spec['automountServiceAccountToken'], false);
    assert.equal(spec['serviceAccountName'], 'bulkhead');
    assert.deepEqual(get(spec, 'securityContext', 'seccompProfile'), { type: 'RuntimeDefault' });
    const tolerated = (spec['tolerations'] as Json[]).map((t) => t['key']);
    assert.ok(tolerated.includes('node-role.kubernetes.io/control-plane'), 'control-plane nodes are audited too');
    for (const c of [...((spec['initContainers'] as Json[] | undefined) ?? []), ...(spec['containers'] as Json[])]) {
      const sc = c['securityContext'] as Json;
      assert.notEqual(sc['privileged'], true, String(c['name']));
      assert.equal(sc['allowPrivilegeEscalation'], false, String(c['name']));
      assert.equal(sc['readOnlyRootFilesystem'], true, String(c['name']));
      assert.deepEqual(get(sc, 'capabilities', 'drop'), ['ALL'], String(c['name']));
      // The audit keeps the one default capability it needs (as deploy/image's docker run); the idle container none.
      assert.deepEqual(get(sc, 'capabilities', 'add'), c['name'] === 'audit' ? ['DAC_OVERRIDE'] : undefined, String(c['name']));
      assert.ok(get(c, 'resources', 'limits', 'memory') && get(c, 'resources', 'requests', 'cpu'), `${String(c['name'])} has requests and limits`);
      for (const m of (c['volumeMounts'] as Json[] | undefined) ?? []) assert.equal(m['readOnly'], true, `${String(c['name'])} mounts ${String(m['mountPath'])} read-only`);
    }
    assert.equal(get(auditContainer(w), 'securityContext', 'runAsUser'), 0);
    assert.equal(get(auditContainer(w), 'image'), 'bulkhead:0.1.0');
  }
  assert.deepEqual(hostMounts(ds), hostMounts(job));
  assert.deepEqual(auditContainer(ds)['args'], auditContainer(job)['args']);
  assert.deepEqual(auditContainer(ds)['securityContext'], auditContainer(job)['securityContext']);
  assert.deepEqual(auditContainer(ds)['resources'], auditContainer(job)['resources']);
  assert.deepEqual(podSpec(ds)['tolerations'], podSpec(job)['tolerations']);
  assert.deepEqual(
    hostMounts(ds).map((m) => ({ source: m.source, type: m.type })),
    [{ source: '/', type: 'Directory' }, { source: '/var/run/docker.sock', type: 'Socket' }],
  );
  // The DaemonSet's idle container holds the log open and needs nothing of the node.
  const idle = (podSpec(ds)['containers'] as Json[])[0]!;
  assert.equal(idle['volumeMounts'], undefined);
  assert.equal(get(idle, 'securityContext', 'runAsNonRoot'), true);
  assert.equal(get(job, 'spec', 'template', 'spec', 'restartPolicy'), 'Never');
  assert.equal(get(job, 'spec', 'template', 'spec', 'nodeName'), 'NODE_NAME');
});

test('the namespace admits the audit pods and the service account mounts no token', () => {
  const [ns, sa] = manifest('namespace.yaml').docs;
  assert.equal(get(ns, 'kind'), 'Namespace');
  assert.equal(get(ns, 'metadata', 'labels', 'pod-security.kubernetes.io/enforce'), 'privileged');
  assert.equal(get(sa, 'kind'), 'ServiceAccount');
  assert.equal(get(sa, 'automountServiceAccountToken'), false);
  for (const w of [daemonSet(), jobTemplate()]) assert.equal(get(w, 'metadata', 'namespace'), get(ns, 'metadata', 'name'));
});

test('every manifest is valid against the Kubernetes OpenAPI schema (kubernetes-models)', async (t) => {
  for (const name of ['namespace.yaml', 'daemonset.yaml', 'job-template.yaml']) {
    for (const doc of manifest(name).docs) if (!(await validateAgainstSchema(t, doc, name))) return;
  }
  // The schema check can fail: a wrong type is refused.
  const model = await schemaOf('apps/v1', 'DaemonSet');
  const broken = structuredClone(daemonSet());
  (podSpec(broken) as Json)['hostPID'] = 'yes';
  assert.throws(() => new model!(broken).validate(), /hostPID/);
});

test('jobs.sh stamps one valid Job per node that kubectl lists, each pinned to its node, with the template\'s access', async (t) => {
  const r = stampJobs(NODE_NAMES);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.calls, /^get nodes -o jsonpath=/);
  const docs = loadYamlDocuments(r.stdout, 'jobs.yaml').map((d) => d.value as Json);
  assert.equal(docs.length, NODE_NAMES.length);
  assert.ok(!r.stdout.includes('NODE_NAME'));
  docs.forEach((job, i) => {
    assert.equal(job['kind'], 'Job');
    assert.equal(get(job, 'spec', 'template', 'spec', 'nodeName'), NODE_NAMES[i]);
    assert.equal(get(job, 'metadata', 'annotations', 'bulkhead.io/node'), NODE_NAMES[i]);
    assert.deepEqual(hostMounts(job), hostMounts(daemonSet()));
  });
  // Our Kubernetes loader reads each stamped Job as one audit container with the contract's mounts.
  const containers = containersOf(r.stdout, 'jobs.yaml');
  assert.equal(containers.length, NODE_NAMES.length);
  for (const c of containers) assert.deepEqual(val(c.mounts).map((m) => [m.source, m.destination, m.readOnly]), CONTRACT_MOUNTS.map((m) => [m.source, m.destination, true]));
  // bulkhead's own scan of the stamped Jobs passes too (the inline ignores travel with the template).
  const scan = runCli(['scan', '-', '--kind', 'kubernetes', '-f', 'json'], { input: r.stdout });
  assert.equal(scan.code, 0, scan.stderr + scan.stdout);
  for (const job of docs) if (!(await validateAgainstSchema(t, job, 'jobs.sh output'))) return;
});

test('jobs.sh NODE… stamps those nodes without asking kubectl', () => {
  const r = stampJobs([], ['node-a', 'node-b.example']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.calls, '');
  const nodes = loadYamlDocuments(r.stdout, 'jobs.yaml').map((d) => get(d.value, 'spec', 'template', 'spec', 'nodeName'));
  assert.deepEqual(nodes, ['node-a', 'node-b.example']);
});

test('jobs.sh refuses a name that is not a node name before printing anything, and passes kubectl\'s failure on', () => {
  for (const bad of ['Node-A', 'a/b', 'x: y', '-a', 'a'.repeat(254), 'a&b']) {
    const r = stampJobs(['good-node', bad]);
    assert.equal(r.code, 2, JSON.stringify(bad));
    assert.equal(r.stdout, '', JSON.stringify(bad));
    assert.match(r.stderr, /jobs\.sh: not a node name/);
  }
  const none = stampJobs([]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /no nodes/);
  const denied = stampJobs(NODE_NAMES, [], 1);
  assert.equal(denied.code, 1);
  assert.equal(denied.stdout, '');
  assert.match(denied.stderr, /Unauthorized/);
});

/**
 * The few lines of the Nomad job this test reads: the docker driver's
 * `mount { … }` blocks and a few one-line attributes. Not an HCL parser: it
 * checks what the job says, not that Nomad accepts it.
 */
function nomadJob(text: string) {
  const code = text.split('\n').map((l) => l.replace(/#.*$/, '')).join('\n');
  const attr = (body: string, key: string) => new RegExp(`^\\s*${key}\\s*=\\s*(.+?)\\s*$`, 'm').exec(body)?.[1];
  const mounts = [...code.matchAll(/^\s*mount\s*\{([\s\S]*?)^\s{8}\}/gm)].map((m) => ({
    type: JSON.parse(attr(m[1]!, 'type') ?? 'null') as string,
    source: JSON.parse(attr(m[1]!, 'source') ?? 'null') as string,
    destination: JSON.parse(attr(m[1]!, 'target') ?? 'null') as string,
    readOnly: attr(m[1]!, 'readonly') === 'true',
  }));
  return {
    type: JSON.parse(attr(code, 'type') ?? 'null') as string,
    driver: JSON.parse(attr(code, 'driver') ?? 'null') as string,
    image: JSON.parse(attr(code, 'image') ?? 'null') as string,
    args: JSON.parse(attr(code, 'args') ?? 'null') as string[],
    pidMode: JSON.parse(attr(code, 'pid_mode') ?? 'null') as string,
    capDrop: JSON.parse(attr(code, 'cap_drop') ?? 'null') as string[],
    capAdd: JSON.parse(attr(code, 'cap_add') ?? 'null') as string[],
    readonlyRootfs: attr(code, 'readonly_rootfs'),
    mounts,
    code,
  };
}

test('the Nomad job: sysbatch on the docker driver, with the Kubernetes manifests\' host paths, read-only, and their command', () => {
  const job = nomadJob(readFileSync(NOMAD, 'utf8'));
  assert.equal(job.type, 'sysbatch');
  assert.equal(job.driver, 'docker');
  assert.equal(job.image, 'bulkhead:0.1.0');
  assert.equal(job.pidMode, 'host');
  assert.deepEqual(job.capDrop, ['all']);
  assert.deepEqual(job.capAdd, ['dac_override']);
  assert.equal(job.readonlyRootfs, 'true');
  assert.deepEqual(job.args, auditContainer(daemonSet())['args']);
  assert.deepEqual(
    job.mounts.map((m) => ({ source: m.source, destination: m.destination })),
    hostMounts(daemonSet()).map((m) => ({ source: m.source, destination: m.destination })),
  );
  assert.ok(job.mounts.every((m) => m.type === 'bind' && m.readOnly));
  for (const forbidden of ['privileged', 'network_mode', 'ipc_mode', 'devices']) assert.doesNotMatch(job.code, new RegExp(`^\\s*${forbidden}\\s*=`, 'm'), forbidden);
});
