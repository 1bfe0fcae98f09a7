/**
 * The images (CIS 4.x) and operations (CIS 6.x) sections against real
 * engines: images made in the test with `docker import` from tars it writes
 * (set-id files with real modes), `docker commit` (a later layer that
 * deletes them: whiteouts; USER, HEALTHCHECK and ENV set with --change) and
 * the classic builder (an ADD in the history). Sprawl is counted on a second
 * private engine of its own, where every image and container is the test's.
 */
import { after, before } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker, engineHost, engineTest, repoRoot, runCli, TEST_IMAGE } from '../support/env.js';
import { tarOf, type TarFile } from '../support/tar.js';
import { fetchImages } from '../../src/inputs/engine/images.js';
import { openClient } from '../../src/inputs/engine/client.js';
import { resolveEndpoint } from '../../src/inputs/engine/endpoint.js';
import { readExport } from '../../src/inputs/engine/setuid-scan.js';

interface JsonFinding {
  ruleName: string;
  severity: string;
  message: string;
  references: string[];
  subject: { kind: string; name: string; id?: string };
  location: { path: string; file?: string; line?: number };
}
interface JsonReport {
  target: string;
  findings: JsonFinding[];
  notes: string[];
  summary: { subjects: number };
}

const P = `bh-images-${process.pid}`;
const image = {
  suid: `${P}-suid:1`,
  plain: `${P}-plain:1`,
  fixed: `${P}-fixed:1`,
  idle: `${P}-idle:1`,
  lone: `${P}-lone-update:1`,
  hardened: `${P}-hardened:1`,
  secret: `${P}-secret:1`,
  secretFile: `${P}-secret-file:1`,
  added: `${P}-added:1`,
  copied: `${P}-copied:1`,
};
const containers: string[] = [];
let workdir = '';

/** Runs the docker CLI against the private engine with bytes on stdin. */
function dockerIn(args: readonly string[], input: Buffer, host = engineHost!): string {
  return execFileSync('docker', ['-H', host, ...args], { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] }).trim();
}

/** A root filesystem with busybox (sh, sleep, rm, chmod) and a stub apt-get, plus the given files. */
function rootfs(extra: readonly TarFile[]): Buffer {
  const busybox = readFileSync(execFileSync('sh', ['-c', 'command -v busybox'], { encoding: 'utf8' }).trim());
  const applets = ['sh', 'sleep', 'rm', 'chmod', 'true'];
  return tarOf([
    { name: 'bin/', type: '5' },
    { name: 'bin/busybox', mode: 0o755, body: busybox },
    ...applets.map((a): TarFile => ({ name: `bin/${a}`, type: '2', mode: 0o777, linkName: 'busybox' })),
    { name: 'bin/apt-get', mode: 0o755, body: '#!/bin/sh\nexit 0\n' },
    { name: 'usr/', type: '5' },
    { name: 'usr/bin/', type: '5' },
    ...extra,
  ]);
}

const SETID: readonly TarFile[] = [
  { name: 'usr/bin/su', mode: 0o4755, body: 'not really su' },
  { name: 'usr/bin/wall', mode: 0o2755, body: 'not really wall' },
];

function run(name: string, img: string, ...cmd: string[]): void {
  containers.push(name);
  docker(['run', '-d', '--name', name, img, ...(cmd.length ? cmd : ['sleep', '3600'])]);
}

/** Runs a command to completion in a new container of `img` and commits the result with the given --change options. */
function commitAfter(img: string, target: string, script: string, changes: readonly string[] = []): void {
  const name = `${P}-build-${containers.length}`;
  containers.push(name);
  docker(['run', '--name', name, img, 'sh', '-c', script]);
  docker(['commit', ...changes.flatMap((c) => ['-c', c]), name, target]);
}

before(() => {
  if (!engineHost) return;
  workdir = mkdtempSync(join(tmpdir(), 'bulkhead-images-'));
  dockerIn(['import', '-c', 'CMD ["sleep", "3600"]', '-', image.suid], rootfs(SETID));
  dockerIn(['import', '-c', 'CMD ["sleep", "3600"]', '-', image.plain], rootfs([]));
  dockerIn(['import', '-', image.idle], rootfs(SETID));
  // A later layer deletes su (a whiteout) and rewrites wall without its setgid bit.
  commitAfter(image.suid, image.fixed, 'rm /usr/bin/su && chmod g-s /usr/bin/wall', ['CMD ["sleep", "3600"]']);
  commitAfter(image.plain, image.lone, 'apt-get update', ['CMD ["sleep", "3600"]']);
  commitAfter(image.plain, image.hardened, 'apt-get update && apt-get install -y curl', ['USER 65534', 'HEALTHCHECK CMD ["true"]', 'CMD ["sleep", "3600"]']);
  commitAfter(image.plain, image.secret, 'true', ['ENV DB_PASSWORD=hunter2hunter2', 'CMD ["sleep", "3600"]']);
  commitAfter(image.plain, image.secretFile, 'true', ['ENV DB_PASSWORD_FILE=/run/secrets/db', 'CMD ["sleep", "3600"]']);
  // The classic builder records ADD of a folder as `ADD dir:<hash> in /srv`.
  for (const [target, verb] of [[image.added, 'ADD'], [image.copied, 'COPY']] as const) {
    const context = join(workdir, verb);
    mkdirSync(join(context, 'site'), { recursive: true });
    writeFileSync(join(context, 'site', 'index.html'), 'hello\n');
    writeFileSync(join(context, 'Dockerfile'), `FROM ${image.plain}\n${verb} site /srv\n`);
    execFileSync('docker', ['-H', engineHost, 'build', '-q', '-t', target, context], { env: { ...process.env, DOCKER_BUILDKIT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  }
  for (const key of ['suid', 'plain', 'fixed', 'lone', 'hardened', 'secret', 'secretFile', 'added', 'copied'] as const) run(`${P}-${key}`, image[key]);
});

after(() => {
  if (!engineHost) return;
  if (containers.length) docker(['rm', '-f', ...containers]);
  docker(['rmi', '-f', ...Object.values(image)]);
  if (workdir) rmSync(workdir, { recursive: true, force: true });
});

function audit(args: readonly string[], env: Record<string, string | undefined> = {}, host = engineHost!): JsonReport {
  const r = runCli(['audit', '-H', host, '-f', 'json', '--fail-on', 'none', ...args], { env: { DOCKER_CONTENT_TRUST: undefined, ...env } });
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as JsonReport;
}

const onImage = (report: JsonReport, name: string, rule: string) => report.findings.filter((f) => f.subject.kind === 'image' && f.subject.name === name && f.ruleName === rule);

engineTest('setuid-files-in-image: an imported image with a setuid and a setgid file is found; one without is not', () => {
  const report = audit(['--sections', 'images']);
  const [found] = onImage(report, image.suid, 'setuid-files-in-image');
  assert.ok(found, `no setuid finding for ${image.suid}: ${JSON.stringify(report.notes)}`);
  assert.match(found.message, /^2 setuid\/setgid files: \/usr\/bin\/su \(4755\), \/usr\/bin\/wall \(2755\)$/);
  assert.ok(found.references.includes('CIS-4.8'));
  assert.match(found.subject.id ?? '', /^sha256:[0-9a-f]{64}$/);
  // The plain image was read (its other findings are there), and has no set-id file.
  assert.equal(onImage(report, image.plain, 'setuid-files-in-image').length, 0);
  assert.equal(onImage(report, image.plain, 'runs-as-root').length, 1);
});

engineTest('setuid-files-in-image: a later layer that deletes the file (whiteout) or drops the bit (chmod) leaves no finding', () => {
  const report = audit(['--sections', 'images']);
  assert.equal(onImage(report, image.fixed, 'setuid-files-in-image').length, 0, 'the committed image removed them');
  assert.equal(onImage(report, image.suid, 'setuid-files-in-image').length, 1, 'its parent still has them');
  assert.ok(!report.notes.some((n) => n.includes(P)), report.notes.join('\n'));
});

engineTest('images no container uses are audited only with --all-images', () => {
  assert.equal(onImage(audit(['--sections', 'images']), image.idle, 'setuid-files-in-image').length, 0);
  assert.equal(onImage(audit(['--sections', 'images', '--all-images']), image.idle, 'setuid-files-in-image').length, 1);
});

engineTest("an image's Config: USER and HEALTHCHECK set with docker commit --change pass; an image without them runs as root with no health check", () => {
  const report = audit(['--sections', 'images']);
  assert.equal(onImage(report, image.lone, 'runs-as-root')[0]?.location.path, 'Config.User');
  assert.equal(onImage(report, image.lone, 'no-healthcheck')[0]?.location.path, 'Config.Healthcheck');
  assert.equal(onImage(report, image.hardened, 'runs-as-root').length, 0);
  assert.equal(onImage(report, image.hardened, 'no-healthcheck').length, 0);
});

engineTest('update-without-install from the history: a committed `apt-get update` alone is found, with an install after it it is not', () => {
  const report = audit(['--sections', 'images']);
  const [lone] = onImage(report, image.lone, 'update-without-install');
  assert.ok(lone, JSON.stringify(report.findings.filter((f) => f.subject.name === image.lone)));
  assert.equal(lone.location.path, 'History[0].CreatedBy.commands[1]');
  assert.equal(lone.location.line, undefined, 'a history has no file position');
  assert.ok(lone.references.includes('CIS-4.7'));
  assert.equal(onImage(report, image.hardened, 'update-without-install').length, 0);
});

engineTest('add-instead-of-copy from the history: ADD of a folder (classic builder) is found, COPY is not', () => {
  const report = audit(['--sections', 'images']);
  const [added] = onImage(report, image.added, 'add-instead-of-copy');
  assert.ok(added);
  assert.match(added.message, /ADD of local files \(dir:[0-9a-f]+\): use COPY instead/);
  assert.match(added.location.path, /^History\[\d+\]\.CreatedBy$/);
  assert.equal(onImage(report, image.copied, 'add-instead-of-copy').length, 0);
});

engineTest('secret-in-environment on an image: ENV with a password is found, a _FILE path is not', () => {
  const report = audit(['--sections', 'images']);
  const [secret] = onImage(report, image.secret, 'secret-in-environment');
  assert.ok(secret);
  assert.match(secret.message, /DB_PASSWORD holds a password/);
  assert.doesNotMatch(secret.message, /hunter2/, 'the value is never shown');
  assert.equal(onImage(report, image.secretFile, 'secret-in-environment').length, 0);
});

engineTest('--sections keeps images and containers apart', () => {
  const images = audit(['--sections', 'images']);
  assert.ok(images.findings.every((f) => f.subject.kind !== 'container'));
  assert.ok(onImage(images, image.suid, 'runs-as-root').length === 1);
  const ctrs = audit(['--sections', 'containers']);
  assert.ok(ctrs.findings.every((f) => f.subject.kind !== 'image'));
  assert.ok(ctrs.findings.some((f) => f.subject.name === `${P}-suid` && f.ruleName === 'runs-as-root'));
});

engineTest('content-trust-disabled: unset is reported about the client, 1 is not, and with --root it is not checked', () => {
  const unset = audit(['--sections', 'images']).findings.filter((f) => f.ruleName === 'content-trust-disabled');
  assert.equal(unset.length, 1);
  assert.equal(unset[0]!.subject.kind, 'host');
  assert.equal(unset[0]!.location.path, 'DOCKER_CONTENT_TRUST');
  assert.ok(unset[0]!.references.includes('CIS-4.5'));
  const zero = audit(['--sections', 'images'], { DOCKER_CONTENT_TRUST: '0' }).findings.filter((f) => f.ruleName === 'content-trust-disabled');
  assert.match(zero[0]?.message ?? '', /DOCKER_CONTENT_TRUST is "0", not 1/);
  assert.equal(audit(['--sections', 'images'], { DOCKER_CONTENT_TRUST: '1' }).findings.filter((f) => f.ruleName === 'content-trust-disabled').length, 0);
  const root = mkdtempSync(join(tmpdir(), 'bulkhead-root-'));
  try {
    const elsewhere = audit(['--sections', 'images', '--root', root]);
    assert.equal(elsewhere.findings.filter((f) => f.ruleName === 'content-trust-disabled').length, 0);
    assert.ok(elsewhere.notes.some((n) => n.includes('content trust')));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

engineTest('an export that takes too long, or of an image that is gone, is a note and the image is still audited', async () => {
  const client = await openClient(resolveEndpoint(engineHost), { timeoutMs: 30_000, concurrency: 4 });
  try {
    const id = docker(['image', 'inspect', '--format', '{{.Id}}', image.suid]);
    const slow = await fetchImages(client, [{ Id: id, RepoTags: [image.suid] }], { concurrency: 4, setuid: true, scanTimeoutMs: 0 });
    assert.deepEqual(slow.notes, [`image ${image.suid}: setuid/setgid files not checked: stopped after 0 s`]);
    assert.equal(slow.images[0]?.setuidFiles, undefined, 'not read is not "none found"');
    assert.equal(slow.containers[0]?.user.path, 'Config.User', 'its configuration is still judged');
    const gone = await fetchImages(client, [{ Id: `sha256:${'0'.repeat(64)}`, RepoTags: ['gone:1'] }], { concurrency: 4, setuid: true });
    assert.equal(gone.images.length, 0);
    assert.deepEqual(gone.notes, ['image gone:1 was removed during the audit; skipped']);
  } finally {
    client.close();
  }
});

engineTest('one export of several images (GET /images/get?names=…): the engine writes one entry per image, RepoTags null when asked by ID, Config named by the image ID', async () => {
  const client = await openClient(resolveEndpoint(engineHost), { timeoutMs: 30_000, concurrency: 4 });
  try {
    const ids = [image.suid, image.fixed, image.idle].map((i) => docker(['image', 'inspect', '--format', '{{.Id}}', i]));
    const stream = await client.stream(`/images/get?${ids.map((id) => `names=${encodeURIComponent(id)}`).join('&')}`);
    const contents = await readExport(stream.body);
    assert.deepEqual(contents.entries.map((e) => e.id).sort(), [...ids].sort(), 'entries are matched back by their config');
    // suid and idle were imported from the same tar: one layer, which the engine writes once and links.
    const [suid, , idle] = ids.map((id) => contents.entries.find((e) => e.id === id)!);
    assert.notEqual(suid!.layers[0], idle!.layers[0]);
    for (const entry of [suid!, idle!]) assert.deepEqual(contents.resolve(entry), { files: [{ path: '/usr/bin/su', mode: 0o4755 }, { path: '/usr/bin/wall', mode: 0o2755 }] });
  } finally {
    client.close();
  }
});

engineTest('images exported together: each gets its own result; an image removed meanwhile hides no other; a timed-out export is one note naming its images', async () => {
  const client = await openClient(resolveEndpoint(engineHost), { timeoutMs: 30_000, concurrency: 4 });
  try {
    const entry = (name: string) => ({ Id: docker(['image', 'inspect', '--format', '{{.Id}}', name]), RepoTags: [name] });
    const targets = [entry(image.suid), entry(image.fixed), { Id: `sha256:${'0'.repeat(64)}`, RepoTags: ['gone:1'] }, entry(image.idle), entry(image.plain)];
    // The engine refuses an export naming an image it does not have: the others are asked again, in halves.
    const got = await fetchImages(client, targets, { concurrency: 4, setuid: true });
    assert.deepEqual(got.notes, ['image gone:1 was removed during the audit; skipped']);
    const files = Object.fromEntries(got.images.map((i) => [i.subject.name, i.setuidFiles?.map((f) => f.path)]));
    assert.deepEqual(files, { [image.suid]: ['/usr/bin/su', '/usr/bin/wall'], [image.fixed]: [], [image.idle]: ['/usr/bin/su', '/usr/bin/wall'], [image.plain]: [] });
    // Batches of two: the same results from three exports.
    const small = await fetchImages(client, targets, { concurrency: 4, setuid: true, scanBatch: 2 });
    assert.deepEqual(Object.fromEntries(small.images.map((i) => [i.subject.name, i.setuidFiles?.map((f) => f.path)])), files);
    const slow = await fetchImages(client, [entry(image.suid), entry(image.fixed)], { concurrency: 4, setuid: true, scanTimeoutMs: 1 });
    assert.deepEqual(slow.notes, [`images ${image.suid}, ${image.fixed}: setuid/setgid files not checked: stopped after 0 s`]);
    assert.ok(slow.images.every((i) => i.setuidFiles === undefined));
  } finally {
    client.close();
  }
});

/** A second private engine, for counts nothing else can change. */
function ownEngine(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-sprawl-engine.'));
  t.after(() => {
    execFileSync('bash', [join(repoRoot, 'scripts', 'engine-down.sh'), dir], { stdio: 'ignore' });
  });
  // Its network gets an address pool of its own: the default pools run out when several engines run on one machine.
  const pool = `--default-address-pool base=10.${200 + (process.pid % 50)}.0.0/16,size=24`;
  return execFileSync('bash', [join(repoRoot, 'scripts', 'engine-up.sh'), dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DOCKERD_EXTRA_ARGS: pool } }).trim();
}

engineTest('unused-images and stopped-containers: counted on an engine of our own, good then bad', (t) => {
  const host = ownEngine(t);
  const own = (args: string[]) => execFileSync('docker', ['-H', host, ...args], { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] }).trim();
  own(['run', '-d', '--name', 'in-use', TEST_IMAGE, 'sleep', '3600']);
  const sprawl = (r: JsonReport) => r.findings.filter((f) => f.ruleName === 'unused-images' || f.ruleName === 'stopped-containers');
  // Good: its one image is used by its one container, which runs.
  assert.deepEqual(sprawl(audit(['--sections', 'operations'], {}, host)), []);

  // Bad: an image nobody uses, and a container that never started.
  dockerIn(['import', '-', 'spare:1'], rootfs([]), host);
  own(['create', '--name', 'never-started', TEST_IMAGE, 'sleep', '1']);
  const report = audit(['--sections', 'operations'], {}, host);
  const unused = report.findings.find((f) => f.ruleName === 'unused-images');
  const stopped = report.findings.find((f) => f.ruleName === 'stopped-containers');
  assert.match(unused?.message ?? '', /^1 of 2 images are not used by any container \([\d.]+ MB\): spare:1$/);
  assert.equal(unused?.subject.kind, 'daemon');
  assert.ok(unused?.references.includes('CIS-6.1'));
  assert.equal(stopped?.message, '1 of 2 containers are not running: never-started (created)');
  assert.ok(stopped?.references.includes('CIS-6.2'));
  // Operations alone reads no image in depth.
  assert.ok(report.findings.every((f) => f.subject.kind !== 'image'));
});
