/** bulkhead fix's edits, file kind by file kind: fewer findings after, comments and order kept, a second fix changes nothing. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fixText } from '../../src/harden/fix/fix-file.js';
import { DEFAULT_MEMORY_MIB, DEFAULT_PIDS_LIMIT, type FixOptions } from '../../src/harden/fix/fix-options.js';
import { auditText, fileIO } from '../../src/inputs/scan-file.js';
import type { ScanIO } from '../../src/inputs/scan-result.js';
import { InputError } from '../../src/core/errors.js';
import { findFiles } from '../../src/inputs/walk.js';
import { fixturesDir } from '../support/env.js';

const io: ScanIO = { readText: () => undefined, env: {} };
const OPTIONS: FixOptions = { aggressive: false, pidsLimit: DEFAULT_PIDS_LIMIT, memoryMiB: DEFAULT_MEMORY_MIB };
const fixture = (path: string) => readFileSync(`${fixturesDir}/${path}`, 'utf8');
const rulesOf = (text: string, name: string) => auditText(text, name, io).findings.map((f) => f.rule.name);

/** Every line of `before` is in `after`, in the same order: the fix only added lines (comments, keys and their order survive). */
function onlyAdded(before: string, after: string, except: (line: string) => boolean = () => false): void {
  const lines = after.split('\n');
  let at = 0;
  for (const line of before.split('\n')) {
    if (except(line)) continue;
    const found = lines.indexOf(line, at);
    assert.ok(found >= 0, `line kept in order: ${JSON.stringify(line)}`);
    at = found + 1;
  }
}

/** The rules the fix is meant to clear for runtime kinds (those that it fixes without --aggressive). */
const CLEARED = ['no-new-privileges-unset', 'writable-root-filesystem', 'no-pids-limit', 'no-memory-limit'];

for (const [name, path] of [
  ['compose', 'rules/daemon-in-background/bad.compose.yaml'],
  ['compose with merge keys', 'scan/real-world/compose-stack/compose.yaml'],
  ['Kubernetes', 'scan/real-world/helm-deployment.k8s.yaml'],
  ['Kubernetes List, two documents of pods', 'rules/privileged-container/bad-list.k8s.yaml'],
  ['ECS JSON', 'scan/real-world/ecs-service.json'],
  ['ECS in CloudFormation', 'rules/privileged-container/bad.cfn.yaml'],
] as const) {
  test(`fix ${name}: fewer findings, none of the fixed rules, every original line kept, idempotent`, () => {
    const text = fixture(path);
    // The real file system: compose reads the .env beside the file.
    const full = `${fixturesDir}/${path}`;
    const r = fixText(text, full, fileIO({}), OPTIONS);
    assert.notEqual(r.after, text);
    const before = auditText(text, full, fileIO({})).findings.map((f) => f.rule.name);
    const after = auditText(r.after, full, fileIO({})).findings.map((f) => f.rule.name);
    assert.ok(after.length < before.length, `${after.length} < ${before.length}`);
    // A privileged pod keeps no-new-privileges-unset without --aggressive: Kubernetes refuses allowPrivilegeEscalation: false beside it.
    for (const rule of CLEARED) if (!(rule === 'no-new-privileges-unset' && path.includes('list'))) assert.ok(!after.includes(rule), `${rule} cleared`);
    // An empty list (`"dockerSecurityOptions": []`) gets its item in place: only that line changes.
    onlyAdded(text, r.after, (l) => /\[\]/.test(l));
    assert.equal(fixText(r.after, full, fileIO({}), OPTIONS).after, r.after, 'a second fix changes nothing');
  });
}

test('compose: keys go into the service in its own indentation; the service mapping stays valid and comments stay on their lines', () => {
  const text = fixture('rules/daemon-in-background/bad.compose.yaml');
  const r = fixText(text, 'x.compose.yaml', io, OPTIONS);
  assert.match(r.after, /\n {4}security_opt:\n {6}- no-new-privileges:true\n/);
  assert.match(r.after, /\n {4}read_only: true\n {4}tmpfs:\n {6}- \/tmp\n/);
  assert.match(r.after, /\n {4}pids_limit: 200\n/);
  assert.match(r.after, /\n {4}mem_limit: 512m\n/);
  assert.match(r.after, /\n {4}cap_drop:\n {6}- ALL\n/);
  assert.match(r.after, /# expect: daemon-in-background\n/);
});

test('compose: an existing security_opt list is appended to, and no-new-privileges:false is replaced rather than contradicted', () => {
  const text = 'services:\n  web:\n    image: nginx:1.27\n    security_opt:\n      - label=type:svirt_apache_t # keep\n      - no-new-privileges:false\n';
  const r = fixText(text, 'compose.yaml', io, OPTIONS);
  assert.match(r.after, /security_opt:\n {6}- label=type:svirt_apache_t # keep\n {6}- no-new-privileges:true\n/);
  assert.doesNotMatch(r.after, /no-new-privileges:false/);
});

test('compose: a flow mapping gets its keys in flow style, on its line', () => {
  const text = 'services:\n  web: {image: "nginx:1.27", read_only: false}  # one line\n';
  const r = fixText(text, 'compose.yaml', io, OPTIONS);
  const line = r.after.split('\n')[1]!;
  assert.match(line, /^ {2}web: \{image: "nginx:1\.27", read_only: true, .*pids_limit: 200.*\}  # one line$/);
  assert.ok(!rulesOf(r.after, 'compose.yaml').includes('writable-root-filesystem'));
  // Nested flow mappings: the keys go into the service's own braces, not its parent's.
  const nested = fixText('{services: {web: {image: "nginx:1.27", security_opt: [label=disable]}}}\n', 'compose.yaml', io, OPTIONS);
  assert.match(nested.after, /^\{services: \{web: \{image: "nginx:1\.27", security_opt: \[label=disable, no-new-privileges:true\], .*cap_drop: \[ALL\].*\}\}\}\n$/);
  assert.equal(fixText(nested.after, 'compose.yaml', io, OPTIONS).after, nested.after);
});

test('compose: a value from a `<<` merge is overridden in the service, and the shared anchor is left alone', () => {
  const text = 'x-base: &base\n  image: nginx:1.27\n  security_opt: [apparmor=docker-default]\n  read_only: false\nservices:\n  web:\n    <<: *base\n';
  const r = fixText(text, 'compose.yaml', io, OPTIONS);
  assert.equal(r.after.split('services:')[0], text.split('services:')[0], 'anchor unchanged');
  // The service's own security_opt repeats the merged item: it replaces the merged list.
  assert.match(r.after, /\n {4}security_opt:\n {6}- apparmor=docker-default\n {6}- no-new-privileges:true\n/);
  assert.match(r.after, /\n {4}read_only: true\n/);
  const after = rulesOf(r.after, 'compose.yaml');
  assert.ok(!after.includes('writable-root-filesystem') && !after.includes('no-new-privileges-unset'));
});

test('privileged and host namespaces are left with a note; --aggressive removes them (compose) or sets them false (Kubernetes, ECS)', () => {
  const compose = fixture('rules/privileged-container/bad.compose.yaml');
  const kept = fixText(compose, 'compose.yaml', io, OPTIONS);
  assert.match(kept.after, /privileged: true # expect: privileged-container/);
  assert.match(kept.after, /network_mode: host/);
  assert.ok(kept.notes.some((n) => /^left privileged: true \(may be needed; --aggressive removes it\)$/.test(n.text)));
  assert.ok(kept.notes.some((n) => /^left network_mode /.test(n.text)));
  const gone = fixText(compose, 'compose.yaml', io, { ...OPTIONS, aggressive: true });
  assert.doesNotMatch(gone.after, /privileged: (true|"true"|yes)/);
  assert.doesNotMatch(gone.after, /network_mode: host/);
  const after = rulesOf(gone.after, 'compose.yaml');
  assert.ok(!after.includes('privileged-container') && !after.includes('host-network'));

  const k8s = fixture('rules/privileged-container/bad-list.k8s.yaml');
  const k = fixText(k8s, 'k.yaml', io, { ...OPTIONS, aggressive: true });
  assert.match(k.after, /privileged: false # expect: privileged-container/, 'the value replaced, its comment kept');
  assert.match(k.after, /hostNetwork: false/);
  assert.ok(!rulesOf(k.after, 'k.yaml').includes('privileged-container'));

  const ecs = fixture('rules/privileged-container/bad.ecs.json');
  const e = fixText(ecs, 'e.json', io, { ...OPTIONS, aggressive: true });
  assert.ok(!rulesOf(e.after, 'e.json').includes('privileged-container'));
  assert.ok(rulesOf(fixText(ecs, 'e.json', io, OPTIONS).after, 'e.json').includes('privileged-container'));
});

test('--aggressive takes out the added capabilities the rule flags, from block, flow and JSON lists, keeping the others as written', () => {
  const compose = fixText(fixture('rules/capabilities-added/bad.compose.yaml'), 'compose.yaml', io, { ...OPTIONS, aggressive: true });
  assert.match(compose.after, /cap_add:\n {6}- CAP_NET_RAW\n {4}cap_drop:/);
  assert.match(compose.after, /cap_add:\n {6}\[\] # expect: capabilities-added\n/, 'every item gone: an empty list');
  assert.ok(!rulesOf(compose.after, 'compose.yaml').includes('capabilities-added'));
  const kept = fixText(fixture('rules/capabilities-added/bad.compose.yaml'), 'compose.yaml', io, OPTIONS);
  assert.match(kept.after, /- SYS_MODULE # expect: capabilities-added/);
  assert.ok(kept.notes.some((n) => /^left the added capabilities \(may be needed; --aggressive removes it\)$/.test(n.text)));

  const flow = fixText('services:\n  w:\n    image: x:1\n    cap_add: [SYS_ADMIN, CHOWN]\n', 'compose.yaml', io, { ...OPTIONS, aggressive: true });
  assert.match(flow.after, /cap_add: \[CHOWN\]\n/);

  const ecs = fixText(fixture('rules/apparmor-unconfined/bad.ecs.json'), 'e.json', io, { ...OPTIONS, aggressive: true });
  assert.match(ecs.after, /"add": \["NET_RAW", "CHOWN"\],\n {10}"drop": \["ALL"\]\n/);
  assert.doesNotThrow(() => JSON.parse(ecs.after));
});

test('Kubernetes: a read-only root gets an emptyDir at /tmp (a mount in the container, a volume in the pod), and memory in Mi', () => {
  const text = fixture('rules/daemon-in-background/bad.k8s.yaml');
  const r = fixText(text, 'k.yaml', io, { ...OPTIONS, memoryMiB: 256 });
  assert.match(r.after, /readOnlyRootFilesystem: true/);
  assert.match(r.after, /- name: bulkhead-tmp\n\s+mountPath: \/tmp\n/);
  assert.match(r.after, /volumes:\n\s+- name: bulkhead-tmp\n\s+emptyDir: \{\}\n/);
  assert.match(r.after, /memory: 256Mi/);
  assert.equal(r.after.match(/emptyDir/g)?.length, 1, 'one volume for both containers of the pod');
});

test('CRLF files keep CRLF on every line, added ones included', () => {
  for (const path of ['rules/daemon-in-background/bad.compose.yaml', 'scan/real-world/ecs-service.json', 'rules/runs-as-root/bad.Dockerfile', 'scan/real-world/helm-deployment.k8s.yaml']) {
    const text = fixture(path).replace(/\r?\n/g, '\r\n');
    const r = fixText(text, path, io, OPTIONS);
    assert.notEqual(r.after, text, path);
    assert.doesNotMatch(r.after, /[^\r]\n/, `${path}: only CRLF`);
    assert.equal(fixText(r.after, path, io, OPTIONS).after, r.after, `${path}: idempotent`);
  }
});

test('Dockerfile: ADD of local files becomes COPY; ADD of a URL or git repository is left with a note', () => {
  const text = fixture('rules/add-instead-of-copy/bad.Dockerfile');
  const r = fixText(text, 'Dockerfile', io, OPTIONS);
  assert.match(r.after, /^COPY docker\/php\.ini /m);
  assert.match(r.after, /^COPY --chown=www-data:www-data \. \.$/m);
  assert.match(r.after, /^ADD https:\/\/getcomposer\.org\/installer/m);
  assert.ok(r.notes.some((n) => /URL or git repository/.test(n.text)));
  assert.equal(rulesOf(r.after, 'Dockerfile').filter((n) => n === 'add-instead-of-copy').length, 2, 'only the two remote ADDs are left');
});

test('Dockerfile: --no-install-recommends goes after install, found with the shell parser (options before it, sudo, line continuations)', () => {
  const text = fixture('rules/apt-install-recommends/bad-multistage.Dockerfile');
  const r = fixText(text, 'Dockerfile', io, OPTIONS);
  assert.match(r.after, /apt-get -y -o Dpkg::Options::=--force-confold install --no-install-recommends ca-certificates curl \\\n/);
  assert.match(r.after, /sudo -E apt-get install --no-install-recommends -y tini/);
  assert.ok(!rulesOf(r.after, 'Dockerfile').includes('apt-install-recommends'));
  const multi = fixText(fixture('rules/apt-install-recommends/bad.Dockerfile'), 'Dockerfile', io, OPTIONS);
  assert.match(multi.after, /apt-get install --no-install-recommends -y \\\n {6}build-essential/);
});

test('Dockerfile: a non-root USER at the end of the final stage, exec-form CMD, and nginx kept in the foreground', () => {
  const root = fixText(fixture('rules/runs-as-root/bad.Dockerfile'), 'Dockerfile', io, OPTIONS);
  assert.match(root.after, /\nCMD \["gunicorn".*\]\nUSER 65532:65532\n$/);
  assert.ok(!rulesOf(root.after, 'Dockerfile').includes('runs-as-root'));
  const shell = fixText(fixture('rules/shell-form-command/bad.Dockerfile'), 'Dockerfile', io, OPTIONS);
  assert.match(shell.after, /^CMD \["node", "server\.js"\]$/m);
  assert.ok(!rulesOf(shell.after, 'Dockerfile').includes('shell-form-command'));
  const nginx = fixText(fixture('rules/daemon-in-background/bad-nginx.Dockerfile'), 'Dockerfile', io, OPTIONS);
  assert.match(nginx.after, /^CMD \["nginx", "-g", "daemon off;"\]$/m);
  assert.ok(!rulesOf(nginx.after, 'Dockerfile').includes('daemon-in-background'));
  // A script that needs the shell is left, with a note.
  const services = fixText(fixture('rules/daemon-in-background/bad-services.Dockerfile'), 'Dockerfile', io, OPTIONS);
  assert.match(services.after, /ENTRYPOINT \["\/bin\/bash", "-c", "\/usr\/sbin\/sshd -p 2222 && /);
  assert.ok(services.notes.some((n) => /background daemon/.test(n.text)));
});

test('JSON: a null key is filled, tab indentation kept; YAML: an empty flow securityContext gets YAML flow keys', () => {
  const json = '{\n\t"family": "x",\n\t"containerDefinitions": [\n\t\t{\n\t\t\t"name": "a",\n\t\t\t"image": "x:1",\n\t\t\t"linuxParameters": null\n\t\t}\n\t]\n}\n';
  const j = fixText(json, 'task.json', io, OPTIONS);
  assert.match(j.after, /\n\t\t\t"linuxParameters": \{\n\t\t\t\t"capabilities": \{\n\t\t\t\t\t"drop": \["ALL"\]\n\t\t\t\t\}\n\t\t\t\},\n\t\t\t"dockerSecurityOptions": \["no-new-privileges"\],\n/);
  assert.deepEqual(JSON.parse(j.after).containerDefinitions[0].readonlyRootFilesystem, true);
  const yaml = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: x:1\n    securityContext: {}\n';
  const k = fixText(yaml, 'pod.yaml', io, OPTIONS);
  assert.match(k.after, /\n {4}securityContext: \{allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: \{ drop: \[ALL\] \}\}\n/);
  assert.match(k.after, /\n {4}volumeMounts:\n {4}- name: bulkhead-tmp\n/, 'lists laid out like the file: items at their key\'s column');
  assert.equal(fixText(k.after, 'pod.yaml', io, OPTIONS).after, k.after);
});

test('a background daemon in a compose command is left, with a note', () => {
  const r = fixText(fixture('rules/daemon-in-background/bad.compose.yaml'), 'compose.yaml', io, OPTIONS);
  assert.match(r.after, /command: sh -c "service cron start && exec gunicorn/);
  assert.ok(r.notes.some((n) => n.text === 'left the command: run the daemon in the foreground as the finding says'));
});

test('a file with no findings the fix knows is left as it is', () => {
  for (const path of ['rules/shell-form-command/good.Dockerfile', 'rules/runs-as-root/good.Dockerfile']) {
    const text = fixture(path);
    assert.equal(fixText(text, path, io, OPTIONS).after, text, path);
  }
});

test('every fixture: a fix never breaks the file, never adds findings, and a second fix changes nothing', () => {
  let changed = 0;
  for (const path of findFiles([`${fixturesDir}/rules`, `${fixturesDir}/scan`], [])) {
    const text = readFileSync(path, 'utf8');
    for (const aggressive of [false, true]) {
      let r;
      try {
        r = fixText(text, path, io, { ...OPTIONS, aggressive });
      } catch (e) {
        if (e instanceof InputError) continue; // the malformed-input fixtures
        throw e;
      }
      if (r.after === text) continue;
      changed++;
      const after = auditText(r.after, path, io);
      assert.equal(after.error, undefined, `${path} still parses`);
      assert.ok(after.findings.length < auditText(text, path, io).findings.length, `${path}: fewer findings`);
      assert.equal(fixText(r.after, path, io, { ...OPTIONS, aggressive }).after, r.after, `${path}: idempotent`);
    }
  }
  assert.ok(changed > 100, `${changed} fixtures fixed`);
});

test('a malformed file is an InputError naming file:line:column', () => {
  assert.throws(() => fixText('services:\n  web: [\n', 'compose.yaml', io, OPTIONS), (e: unknown) => e instanceof InputError && /^compose\.yaml:\d+:\d+: /.test(e.message));
});

test('YAML: a key written with no value (empty, ~, null) gets its value after the colon, or its items and keys below it', () => {
  for (const empty of ['', ' ~', ' null']) {
    const compose = `services:\n  web:\n    image: nginx:1.27\n    read_only:${empty}\n    security_opt:${empty}\n`;
    const c = fixText(compose, 'compose.yaml', io, OPTIONS);
    assert.match(c.after, /\n {4}read_only: true\n {4}security_opt:\n {6}- no-new-privileges:true\n/, JSON.stringify(empty));
    const after = auditText(c.after, 'compose.yaml', io);
    assert.equal(after.error, undefined);
    assert.ok(!after.findings.some((f) => f.rule.name === 'writable-root-filesystem' || f.rule.name === 'no-new-privileges-unset'), JSON.stringify(empty));
    assert.equal(fixText(c.after, 'compose.yaml', io, OPTIONS).after, c.after);

    const pod = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: x:1\n      securityContext:${empty}\n  volumes:${empty}\n`;
    const k = fixText(pod, 'pod.yaml', io, OPTIONS);
    assert.match(k.after, /\n {6}securityContext:\n {8}allowPrivilegeEscalation: false\n {8}readOnlyRootFilesystem: true\n {8}capabilities:\n {10}drop:\n {12}- ALL\n/, JSON.stringify(empty));
    assert.match(k.after, /\n {2}volumes:\n {4}- name: bulkhead-tmp\n {6}emptyDir: \{\}\n/, 'the volume the mount names');
    const rules = rulesOf(k.after, 'pod.yaml');
    assert.ok(!rules.includes('no-new-privileges-unset') && !rules.includes('writable-root-filesystem'), rules.join());
    assert.equal(fixText(k.after, 'pod.yaml', io, OPTIONS).after, k.after);
  }
});

test('Kubernetes: the /tmp volumeMount is added only with its volume (a pod whose volumes the fix cannot add to gets neither)', () => {
  const pod = 'x-vols: &vols\n  - name: data\n    emptyDir: {}\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: x:1\n  volumes: *vols\n';
  const k = fixText(pod, 'pod.yaml', io, OPTIONS);
  assert.match(k.after, /readOnlyRootFilesystem: true/);
  assert.doesNotMatch(k.after, /bulkhead-tmp/, 'no mount of a volume that is not there');
});

test('Dockerfile: a shell-form ENTRYPOINT is left, with a note, when a CMD would become its arguments in exec form', () => {
  const text = 'FROM alpine:3.20\nENTRYPOINT sleep 1000\nCMD ["foo"]\nUSER 65532:65532\n';
  const r = fixText(text, 'Dockerfile', io, OPTIONS);
  assert.match(r.after, /^ENTRYPOINT sleep 1000$/m);
  assert.ok(r.notes.some((n) => /^left ENTRYPOINT in shell form: .*CMD/.test(n.text)), r.notes.map((n) => n.text).join('|'));
  // A CMD in a stage built FROM it counts too; without a CMD the rewrite is safe.
  const child = fixText('FROM alpine:3.20 AS base\nENTRYPOINT sleep 1000\nFROM base\nCMD ["foo"]\nUSER 65532:65532\n', 'Dockerfile', io, OPTIONS);
  assert.match(child.after, /^ENTRYPOINT sleep 1000$/m);
  const alone = fixText('FROM alpine:3.20\nENTRYPOINT sleep 1000\nUSER 65532:65532\n', 'Dockerfile', io, OPTIONS);
  assert.match(alone.after, /^ENTRYPOINT \["sleep", "1000"\]$/m);
});

test('Dockerfile: USER goes at the end of the final stage, so RUN lines after CMD still run as root', () => {
  const text = 'FROM debian:12\nCMD ["x"]\nRUN apt-get update\n# trailing comment\n';
  const r = fixText(text, 'Dockerfile', io, OPTIONS);
  assert.equal(r.after, 'FROM debian:12\nCMD ["x"]\nRUN apt-get update\nUSER 65532:65532\n# trailing comment\n');
  assert.ok(!rulesOf(r.after, 'Dockerfile').includes('runs-as-root'));
  const noEol = fixText('FROM debian:12\nRUN true', 'Dockerfile', io, OPTIONS);
  assert.equal(noEol.after, 'FROM debian:12\nRUN true\nUSER 65532:65532\n');
});

test('compose --aggressive: flagged capabilities a service gets through a `<<` merge are taken out of its own copy of the list; the anchor is left', () => {
  const text = 'x-base: &base\n  image: nginx:1.27\n  cap_add: [SYS_ADMIN, CHOWN]\nservices:\n  web:\n    <<: *base\n';
  const r = fixText(text, 'compose.yaml', io, { ...OPTIONS, aggressive: true });
  assert.equal(r.after.split('services:')[0], text.split('services:')[0], 'anchor unchanged');
  assert.match(r.after, /\n {4}cap_add:\n {6}- CHOWN\n/);
  assert.ok(!rulesOf(r.after, 'compose.yaml').includes('capabilities-added'));
  assert.equal(fixText(r.after, 'compose.yaml', io, { ...OPTIONS, aggressive: true }).after, r.after);
});

test('YAML: an empty value followed by a comment gets its value before the comment, with the space YAML needs', () => {
  const r = fixText('services:\n  web:\n    image: nginx:1.27\n    read_only: # why\n    security_opt: # none\n', 'compose.yaml', io, OPTIONS);
  assert.match(r.after, /\n {4}read_only: true # why\n {4}security_opt: # none\n {6}- no-new-privileges:true\n/);
  assert.ok(!rulesOf(r.after, 'compose.yaml').includes('writable-root-filesystem'));
});

test('compose --aggressive: a `<<: [*a, *b]` merge list: the flagged values of the second source are fixed in the service, not under a key "1"', () => {
  const text = 'x-a: &a\n  image: nginx:1.27\nx-b: &b\n  cap_add:\n    - SYS_ADMIN\n    - CHOWN\n  privileged: true\nservices:\n  web:\n    <<: [*a, *b]\n';
  const r = fixText(text, 'compose.yaml', io, { ...OPTIONS, aggressive: true });
  assert.equal(r.after.split('services:')[0], text.split('services:')[0], 'anchors unchanged');
  assert.match(r.after, /\n {4}privileged: false\n/);
  assert.match(r.after, /\n {4}cap_add:\n {6}- CHOWN\n/);
  assert.doesNotMatch(r.after, /^\s*"?1"?:/m);
  const after = rulesOf(r.after, 'compose.yaml');
  assert.ok(!after.includes('capabilities-added') && !after.includes('privileged-container'), after.join());
  assert.equal(fixText(r.after, 'compose.yaml', io, { ...OPTIONS, aggressive: true }).after, r.after);
});
