/**
 * The container-image recipe (deploy/image), for real. Nothing can be pulled here, so the image is
 * what deploy/image/rootfs.sh builds (this machine's Node.js and the built bulkhead, laid out as
 * the Dockerfile's runtime stage lays it out), `docker import`ed into the private engine with the
 * ENTRYPOINT, USER, WORKDIR, ENV and CMD of the Dockerfile's final stage, parsed from the
 * Dockerfile itself so the two cannot drift. From inside that container, run the way the README
 * says (read-only root, every capability dropped but DAC_OVERRIDE, no-new-privileges, never
 * --privileged), bulkhead audits the engine through its socket and the host through /host.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type * as Ast from 'dockerfile-ast';
import { engineTest, repoRoot, TEST_IMAGE } from '../support/env.js';

interface JsonFinding {
  ruleName: string;
  message: string;
  subject: { kind: string; name: string };
}
interface JsonReport {
  findings: JsonFinding[];
  notes: string[];
}

const dockerfilePath = join(repoRoot, 'deploy', 'image', 'Dockerfile');
/** The flags the README documents for every run of the image. */
const HARDENING = ['--read-only', '--cap-drop', 'ALL', '--cap-add', 'DAC_OVERRIDE', '--security-opt', 'no-new-privileges'];
const IMAGE_CONFIG = new Set(['ENTRYPOINT', 'CMD', 'USER', 'WORKDIR', 'ENV']);

/** The final stage's image configuration, as `docker import --change` lines. */
function finalStageChanges(): string[] {
  const { DockerfileParser } = createRequire(import.meta.url)('dockerfile-ast') as typeof Ast;
  const dockerfile = DockerfileParser.parse(readFileSync(dockerfilePath, 'utf8'));
  const lastFrom = dockerfile.getFROMs().at(-1)!;
  return dockerfile.getInstructions()
    .filter((i) => i.getRange().start.line > lastFrom.getRange().start.line && IMAGE_CONFIG.has(i.getKeyword()))
    .map((i) => i.getTextContent().replace(/\\\r?\n\s*/g, ' ').trim());
}

test('the Dockerfile passes bulkhead\'s own scan, every exception an inline ignore with its reason', () => {
  const r = spawnSync(process.execPath, [join(repoRoot, 'dist', 'src', 'cli', 'bulkhead.mjs'), 'scan', 'deploy/image', '-f', 'json', '--show-suppressed'],
    { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const report = JSON.parse(r.stdout) as JsonReport & { suppressed: { ruleName: string; suppression: { kind: string; reason: string } }[] };
  assert.deepEqual(report.findings, []);
  assert.ok(report.suppressed.some((s) => s.ruleName === 'runs-as-root'), 'the one reasoned exception of the contract: root inside');
  for (const s of report.suppressed) {
    assert.equal(s.suppression.kind, 'inline', s.ruleName);
    assert.ok(s.suppression.reason.length > 20, `${s.ruleName}: a reason, not a word`);
  }
});

test('the final stage gives the imported image its entrypoint, user and working folder', () => {
  const changes = finalStageChanges();
  assert.ok(changes.includes('ENTRYPOINT ["node", "/app/dist/src/cli/bulkhead.mjs"]'), changes.join('\n'));
  assert.ok(changes.includes('USER root'), changes.join('\n'));
  assert.ok(changes.includes('WORKDIR /app'), changes.join('\n'));
  assert.ok(!changes.some((c) => c.startsWith('FROM') || c.startsWith('RUN') || c.startsWith('COPY')));
});

engineTest('the image built by rootfs.sh audits the engine and the host from inside, unprivileged', async (t, host) => {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-image-'));
  const P = `deploy-image-${process.pid}`;
  const tag = `bulkhead-deploy-test:${process.pid}`;
  const names = { risky: `${P}-risky`, version: `${P}-version`, engine: `${P}-engine`, watch: `${P}-watch`, host: `${P}-host` };
  const socket = new URL(host).pathname;
  const docker = (args: string[]) => spawnSync('docker', ['-H', host, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  t.after(() => {
    docker(['rm', '-f', ...Object.values(names)]);
    docker(['rmi', '-f', tag]);
    rmSync(dir, { recursive: true, force: true });
  });

  const rootfs = join(dir, 'rootfs');
  execFileSync('bash', [join(repoRoot, 'deploy', 'image', 'rootfs.sh'), rootfs], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  assert.ok(existsSync(join(rootfs, 'app', 'node_modules', 'tree-sitter')), 'the native addon is in the image');
  assert.ok(!existsSync(join(rootfs, 'app', 'node_modules', 'typescript')), 'no devDependencies in the image');
  const changes = finalStageChanges().flatMap((c) => ['--change', c]);
  const imported = spawnSync('bash', ['-c', 'set -o pipefail; tar -C "$1" -c . | docker -H "$2" import "${@:4}" - "$3"', 'import', rootfs, host, tag, ...changes], { encoding: 'utf8' });
  assert.equal(imported.status, 0, imported.stderr);

  const run = (name: string, dockerArgs: string[], args: string[]) => {
    const r = docker(['run', '--rm', '--name', name, ...HARDENING, ...dockerArgs, tag, ...args]);
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  await t.test('--version answers from the entrypoint', () => {
    const r = run(names.version, [], ['--version']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version);
  });

  await t.test('the container audit of the engine through its socket at /var/run/docker.sock', () => {
    const risky = docker(['run', '-d', '--name', names.risky, '--cap-add', 'SYS_ADMIN', '--pid', 'host', TEST_IMAGE, 'sleep', '600']);
    assert.equal(risky.status, 0, risky.stderr);
    const r = run(names.engine, ['-v', `${socket}:/var/run/docker.sock`], ['audit', '--sections', 'images,containers,operations', '-f', 'json', '--show-suppressed']);
    assert.equal(r.code, 1, `findings at or above low: exit 1 (${r.stderr})`);
    const { findings, suppressed } = JSON.parse(r.stdout) as JsonReport & { suppressed: (JsonReport['findings'][number] & { suppression: { kind: string } })[] };
    const rulesOf = (name: string, of: JsonReport['findings'] = findings) => new Set(of.filter((f) => f.subject.name === name).map((f) => f.ruleName));
    const riskyRules = rulesOf(names.risky);
    for (const rule of ['capabilities-added', 'host-pid', 'runs-as-root']) assert.ok(riskyRules.has(rule), `${rule} in ${[...riskyRules].join(', ')}`);
    // bulkhead knows the container it runs in: its findings are suppressed as its own (kind self); the
    // socket is among them, and the hardening flags hold (no privilege, no capability beyond Docker's
    // defaults, read-only root).
    assert.deepEqual([...rulesOf(names.engine)], [], 'nothing reported about the audit\'s own container');
    const own = suppressed.filter((f) => f.subject.name === names.engine);
    assert.ok(own.length > 0 && own.every((f) => f.suppression.kind === 'self'), JSON.stringify(own.map((f) => f.suppression)));
    const self = rulesOf(names.engine, own);
    assert.ok(self.has('docker-socket-mounted'), [...self].join(', '));
    assert.ok(!suppressed.some((f) => f.subject.name === names.risky), 'another container is not taken for its own');
    for (const rule of ['privileged-container', 'capabilities-added', 'writable-root-filesystem', 'no-new-privileges-unset']) {
      assert.ok(!self.has(rule), `the audit container itself: ${rule}`);
    }
  });

  await t.test('watch in the image: the other containers reported, its own container not', async () => {
    const started = docker(['run', '-d', '--name', names.watch, ...HARDENING, '-v', `${socket}:/var/run/docker.sock`, tag, 'watch', '-f', 'json']);
    assert.equal(started.status, 0, started.stderr);
    const ownSaid = `container ${names.watch} is the one bulkhead runs in`;
    // Its first pass over the running containers reaches both the risky one and its own (at most a minute).
    let logs = docker(['logs', names.watch]);
    for (let i = 0; i < 120 && !(logs.stdout.includes(names.risky) && logs.stderr.includes(ownSaid)); i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      logs = docker(['logs', names.watch]);
    }
    const stopped = docker(['stop', '-t', '10', names.watch]);
    assert.equal(stopped.status, 0, stopped.stderr);
    logs = docker(['logs', names.watch]);
    const audited = logs.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { container: { name: string } }).container.name);
    assert.ok(audited.includes(names.risky), audited.join(', '));
    assert.ok(!audited.includes(names.watch), 'its own container is not reported');
    assert.ok(logs.stderr.includes(ownSaid), logs.stderr);
  });

  await t.test('the host audit with -v /:/host:ro --pid host --root /host', () => {
    const r = run(names.host, ['--pid', 'host', '-v', '/:/host:ro', '-v', `${socket}:/var/run/docker.sock`], ['audit', '--root', '/host', '-f', 'json']);
    assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
    const report = JSON.parse(r.stdout) as JsonReport;
    assert.deepEqual(report.notes.filter((n) => /could not read|permission denied/.test(n)), [], 'every host file was readable');
    const kinds = new Set(report.findings.map((f) => f.subject.kind));
    assert.ok(kinds.has('host') && kinds.has('daemon'), [...kinds].join(', '));
    // The engine's dockerd was found in the host's /proc (--pid host): its command line says
    // --iptables=false (scripts/engine-up.sh), with the PID the host knows it by.
    const pid = readFileSync(join(dirname(socket), 'docker.pid'), 'utf8').trim();
    const iptables = report.findings.find((f) => f.ruleName === 'iptables-disabled');
    assert.ok(iptables?.message.includes(`dockerd (PID ${pid})`), iptables?.message ?? 'no iptables-disabled finding');
    // Host findings name host files: ones the host has and the image does not, read through /host.
    const paths = report.findings.filter((f) => f.subject.kind === 'host')
      .flatMap((f) => f.message.match(/\/[\w./-]+/g) ?? [])
      .filter((p) => existsSync(p) && !existsSync(join(rootfs, p)));
    assert.ok(paths.length > 0, report.findings.filter((f) => f.subject.kind === 'host').map((f) => f.message).join('\n'));
  });
});
