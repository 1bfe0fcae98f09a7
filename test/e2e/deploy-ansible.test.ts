/**
 * deploy/ansible/audit.yml run for real by Debian's ansible-core: an inventory
 * of four hosts, all on this machine (local connection), three pointed at an
 * engine each (two private engines of this test's own and the main test
 * engine, each with a container sharing the host's PID namespace: BH004) and
 * one at a socket that does not exist. bulkhead gets onto engine-a the way a
 * user's hosts get it: this checkout's `npm pack` tarball installed with npm
 * into a prefix of its own (--offline: npm's cache holds the dependencies the
 * checkout was installed with); the others run the checkout's CLI.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { TestContext } from 'node:test';
import { cliPath, engineTest, repoRoot, TEST_IMAGE } from '../support/env.js';

interface JsonFinding {
  ruleId: string;
  subject: { kind: string; name: string; host?: { name: string; id?: string } };
}
interface MergedReport {
  target: string;
  findings: JsonFinding[];
  fleet: { hosts: number; worstHosts: { host: string; total: number }[]; rules: { ruleId: string; hosts: number }[] };
}

const hasAnsible = spawnSync('ansible-playbook', ['--version'], { stdio: 'ignore' }).status === 0;

/** A private engine of this test's own, with its own key (so its own engine ID), stopped in t.after. */
function ownEngine(t: TestContext, n: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-ansible-engine.'));
  t.after(() => {
    execFileSync('bash', [join(repoRoot, 'scripts', 'engine-down.sh'), dir], { stdio: 'ignore' });
  });
  // Every engine on this machine would read /etc/docker/key.json, whose key is the engine's ID: give each its own.
  writeFileSync(join(dir, 'daemon.json'), JSON.stringify({ 'deprecated-key-path': join(dir, 'key.json') }));
  // Its network gets an address pool of its own (10.100-149: the fleet, watch and image tests take 150-249).
  const pool = `--default-address-pool base=10.${100 + (process.pid % 25) * 2 + n}.0.0/16,size=24 --config-file ${join(dir, 'daemon.json')}`;
  return execFileSync('bash', [join(repoRoot, 'scripts', 'engine-up.sh'), dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DOCKERD_EXTRA_ARGS: pool } }).trim();
}

/** The lines of the default callback's output under `TASK [name]`, up to the next task. */
function taskLines(out: string, name: string): string[] {
  const lines = out.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`TASK [${name}]`));
  assert.ok(start >= 0, `no task "${name}" in:\n${out}`);
  const end = lines.findIndex((l, i) => i > start && (l.startsWith('TASK [') || l.startsWith('PLAY RECAP')));
  return lines.slice(start + 1, end);
}

/** host → its PLAY RECAP counters (ok, changed, failed, …). */
function recap(out: string): Map<string, Record<string, number>> {
  const m = new Map<string, Record<string, number>>();
  for (const [, host, counters] of out.matchAll(/^(\S+)\s+: ((?:\w+=\d+\s*)+)$/gm)) {
    m.set(host!, Object.fromEntries([...counters!.matchAll(/(\w+)=(\d+)/g)].map(([, k, v]) => [k!, Number(v)])));
  }
  return m;
}

/** An inventory of these host lines, every one on the local connection. */
function inventoryOf(hostLines: readonly string[]): string {
  return ['[docker_hosts]', ...hostLines, '', '[docker_hosts:vars]', 'ansible_connection=local', 'ansible_python_interpreter=auto_silent', ''].join('\n');
}

engineTest('deploy/ansible/audit.yml: three engines audited, fetched and merged by ansible-playbook; a host at a dead socket fails with exit 3 and is named missing', async (t, mainHost) => {
  if (!hasAnsible) {
    if (process.env['BULKHEAD_REQUIRE_ENGINE'] === '1') throw new Error('ansible-playbook is not installed (scripts/test.sh installs ansible-core)');
    process.stderr.write('\n*** SKIPPED (no ansible-playbook): deploy/ansible/audit.yml\n');
    t.skip('no ansible-playbook: install Debian\'s ansible-core');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-ansible.'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));

  const engines = { 'engine-a': ownEngine(t, 0), 'engine-b': ownEngine(t, 1), 'engine-main': mainHost };
  const risky: Record<keyof typeof engines, string> = { 'engine-a': 'web', 'engine-b': 'web', 'engine-main': `ansible-main-${process.pid}` };
  for (const [name, host] of Object.entries(engines) as [keyof typeof engines, string][]) {
    execFileSync('docker', ['-H', host, 'run', '-d', '--name', risky[name], '--pid', 'host', TEST_IMAGE, 'sleep', '3600'], { stdio: 'ignore' });
  }
  t.after(() => execFileSync('docker', ['-H', mainHost, 'rm', '-f', risky['engine-main']], { stdio: 'ignore' }));
  const dead = `unix://${join(dir, 'no-such.sock')}`;

  // This checkout as a user gets it: its npm package (dist is built by now).
  execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], { cwd: repoRoot, stdio: 'ignore' });
  const tarball = join(dir, readdirSync(dir).find((f) => f.endsWith('.tgz'))!);

  // Each inventory host has a folder of its own on "the host" (all are this machine): its prefix and report.
  // engine-a installs the package with npm, as a user's hosts do; the others run this checkout's CLI
  // (bulkhead_install=none): one npm install costs more than the rest of the play on a busy machine.
  const hostLine = (name: string, docker: string) => `${name} bulkhead_docker_host=${docker} bulkhead_remote_dir=${join(dir, 'hosts', name)}` + (name === 'engine-a' ? '' : ` bulkhead_install=none bulkhead_bin=${cliPath}`);
  const inventory = join(dir, 'inventory.ini');
  writeFileSync(inventory, inventoryOf([...Object.entries(engines).map(([name, host]) => hostLine(name, host)), hostLine('engine-dead', dead)]));
  // An ansible.cfg of the test's own, and temp folders in its dir: no user or system configuration is read.
  writeFileSync(join(dir, 'ansible.cfg'), '[defaults]\n');
  mkdirSync(join(dir, 'ansible-home'));
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ANSIBLE_')));
  Object.assign(env, {
    ANSIBLE_CONFIG: join(dir, 'ansible.cfg'),
    ANSIBLE_HOME: join(dir, 'ansible-home'),
    ANSIBLE_LOCAL_TEMP: join(dir, 'ansible-local'),
    ANSIBLE_REMOTE_TEMP: join(dir, 'ansible-remote'),
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_HOST_KEY_CHECKING: 'False',
    ANSIBLE_RETRY_FILES_ENABLED: 'False',
    ANSIBLE_STDOUT_CALLBACK: 'default',
    // Modules are piped to python rather than copied to a temp file first: the same tasks, fewer processes.
    ANSIBLE_PIPELINING: 'True',
    // What a shell in that folder would set: the playbook takes relative paths from it.
    PWD: dir,
  });
  const fleetDir = join(dir, 'fleet');
  const extraVars = JSON.stringify({
    // Relative, as a user in the folder would write them: taken from the folder ansible-playbook runs in.
    bulkhead_package: basename(tarball),
    bulkhead_npm_args: ['--offline'],
    bulkhead_fleet_dir: 'fleet',
    // The controller's merge: this checkout's CLI (the hosts' installs are the npm path under test).
    bulkhead_merge_bin: cliPath,
  });
  const play = (more: string[]) => {
    const r = spawnSync('ansible-playbook', ['-i', inventory, join(repoRoot, 'deploy', 'ansible', 'audit.yml'), '-e', extraVars, ...more], { cwd: dir, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    return { code: r.status, out: `${r.stdout}${r.stderr}` };
  };

  const first = play([]);
  await t.test('the dead host fails with bulkhead\'s exit-3 message; the others succeed though their audits exit 1 (findings)', () => {
    // ansible-playbook's own exit code when a host failed.
    assert.equal(first.code, 2, first.out);
    const failed = taskLines(first.out, 'Fail on bulkhead\'s exit 2 (usage or input) or 3 (incomplete), with its message').filter((l) => l.startsWith('fatal: '));
    assert.equal(failed.length, 1, first.out);
    assert.ok(failed[0]!.startsWith('fatal: [engine-dead]: FAILED!'), failed[0]);
    assert.ok(failed[0]!.includes(`"msg": "bulkhead exited 3: bulkhead: cannot reach the Docker engine at ${dead} (from --host): no such socket`), failed[0]);
    const counts = recap(first.out);
    assert.deepEqual([...counts.keys()].sort(), ['engine-a', 'engine-b', 'engine-dead', 'engine-main']);
    for (const name of Object.keys(engines)) assert.equal(counts.get(name)!['failed'], 0, `${name}: ${first.out}`);
    assert.equal(counts.get('engine-dead')!['failed'], 1);
    assert.deepEqual(taskLines(first.out, 'Install bulkhead into its prefix with npm').filter((l) => l.includes('[engine-a]')), ['changed: [engine-a]']);
  });

  await t.test('three reports fetched, under reports/<inventory_hostname>.json; none of the dead host', () => {
    assert.deepEqual(readdirSync(join(fleetDir, 'reports')).sort(), ['engine-a.json', 'engine-b.json', 'engine-main.json']);
    for (const [name, host] of Object.entries(engines)) {
      const report = JSON.parse(readFileSync(join(fleetDir, 'reports', `${name}.json`), 'utf8')) as MergedReport;
      assert.ok(report.target.startsWith(`engine ${host} `), `${name}: ${report.target}`);
    }
  });

  await t.test('the merged report: a fleet of three hosts, each with its risky container\'s BH004; run.json names the missing host', () => {
    const merged = JSON.parse(readFileSync(join(fleetDir, 'fleet.json'), 'utf8')) as MergedReport;
    assert.equal(merged.fleet.hosts, 3);
    assert.match(merged.target, /^merge of 3 reports \(3 hosts\)/);
    const worst = merged.fleet.worstHosts.map((h) => h.host);
    assert.equal(worst.length, 3);
    for (const [name, host] of Object.entries(engines) as [keyof typeof engines, string][]) {
      // Each report names its engine (/info Name and ID); the engines of one machine share its name, so the merge adds the ID.
      const [engineName, engineId] = execFileSync('docker', ['-H', host, 'info', '--format', '{{.Name}} {{.ID}}'], { encoding: 'utf8' }).trim().split(' ');
      const on = worst.filter((h) => h === `${engineName} ${engineId}`);
      assert.equal(on.length, 1, `${name} (${host}) among ${worst.join(' | ')}`);
      const bh004 = merged.findings.filter((f) => f.ruleId === 'BH004' && f.subject.kind === 'container' && f.subject.name === risky[name] && f.subject.host?.name === engineName && f.subject.host?.id === engineId);
      assert.equal(bh004.length, 1, `BH004 of ${risky[name]} on ${name}`);
    }
    assert.ok(merged.fleet.rules.some((r) => r.ruleId === 'BH004' && r.hosts === 3));
    assert.ok(existsSync(join(fleetDir, 'fleet.html')) && readFileSync(join(fleetDir, 'fleet.html'), 'utf8').includes('<html'));
    assert.ok(readFileSync(join(fleetDir, 'fleet.txt'), 'utf8').includes('BH004'));
    assert.deepEqual(JSON.parse(readFileSync(join(fleetDir, 'run.json'), 'utf8')), { merged: ['engine-a', 'engine-b', 'engine-main'], missing: ['engine-dead'], report: join(fleetDir, 'fleet.json') });
    const said = taskLines(first.out, 'Say what was merged').join('\n');
    assert.ok(said.includes('merged 3 of 4 hosts') && said.includes('missing (failed or unreachable, not merged): engine-dead'), said);
  });

  await t.test('a second run of the three: nothing is installed again, exit 0, none missing', () => {
    const again = play(['--limit', 'engine-a,engine-b,engine-main']);
    assert.equal(again.code, 0, again.out);
    const install = taskLines(again.out, 'Install bulkhead into its prefix with npm').filter((l) => l.includes('[engine-a]'));
    assert.deepEqual(install, ['skipping: [engine-a]']);
    const copy = taskLines(again.out, 'Copy the bulkhead package to the host').filter((l) => l.includes('[engine-a]'));
    assert.deepEqual(copy, ['ok: [engine-a]']);
    assert.deepEqual(JSON.parse(readFileSync(join(fleetDir, 'run.json'), 'utf8')).missing, []);
  });

  await t.test('--check on a new host: the copy would change, nothing is installed, audited or written, exit 0', () => {
    const checkInventory = join(dir, 'check.ini');
    const remote = join(dir, 'hosts', 'engine-a-check');
    writeFileSync(checkInventory, inventoryOf([`engine-a-check bulkhead_docker_host=${engines['engine-a']} bulkhead_remote_dir=${remote}`]));
    const r = spawnSync('ansible-playbook', ['--check', '-i', checkInventory, join(repoRoot, 'deploy', 'ansible', 'audit.yml'), '-e', extraVars, '-e', 'bulkhead_fleet_dir=check-fleet'], { cwd: dir, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const out = `${r.stdout}${r.stderr}`;
    assert.equal(r.status, 0, out);
    assert.deepEqual(taskLines(out, 'Copy the bulkhead package to the host').filter((l) => l.includes('[engine-a-check]')), ['changed: [engine-a-check]']);
    for (const task of ['Install bulkhead into its prefix with npm', 'Run the audit', 'Fetch the report to the controller', 'Merge the reports of this run']) {
      assert.deepEqual(taskLines(out, task).filter((l) => l.includes('[engine-a-check]')), ['skipping: [engine-a-check]'], task);
    }
    assert.equal(existsSync(remote), false);
    assert.equal(existsSync(join(dir, 'check-fleet')), false);
  });

  // The image comes from deploy/image (its own branch until both are merged): built the way its README does without a registry.
  const rootfsScript = join(repoRoot, 'deploy', 'image', 'rootfs.sh');
  await t.test('bulkhead_install=docker: the image audits engine-b through its socket mounted at /var/run/docker.sock, the host at /host', { skip: existsSync(rootfsScript) ? false : 'deploy/image/rootfs.sh is not in this tree' }, () => {
    const engineB = engines['engine-b'];
    const rootfs = join(dir, 'rootfs');
    execFileSync('bash', [rootfsScript, rootfs], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
    execFileSync('bash', ['-c', 'tar -C "$1" -c . | docker -H "$2" import -c "ENV NODE_ENV=production" -c "WORKDIR /app" -c "USER root" -c \'ENTRYPOINT ["node", "/app/dist/src/cli/bulkhead.mjs"]\' -c \'CMD ["--help"]\' - bulkhead:0.1.0', '-', rootfs, engineB], { stdio: ['ignore', 'ignore', 'pipe'] });
    rmSync(rootfs, { recursive: true, force: true });
    const imageInventory = join(dir, 'image.ini');
    writeFileSync(imageInventory, inventoryOf([`engine-b-image bulkhead_install=docker bulkhead_docker_socket=${engineB.slice('unix://'.length)} bulkhead_remote_dir=${join(dir, 'hosts', 'engine-b-image')}`]));
    const r = spawnSync('ansible-playbook', ['-i', imageInventory, join(repoRoot, 'deploy', 'ansible', 'audit.yml'), '-e', extraVars, '-e', `bulkhead_fleet_dir=${join(dir, 'image-fleet')}`], { cwd: dir, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const out = `${r.stdout}${r.stderr}`;
    assert.equal(r.status, 0, out);
    const report = JSON.parse(readFileSync(join(dir, 'image-fleet', 'reports', 'engine-b-image.json'), 'utf8')) as MergedReport;
    assert.match(report.target, /^engine unix:\/\/\/var\/run\/docker\.sock .*\(root \/host\)$/);
    assert.ok(report.findings.some((f) => f.ruleId === 'BH004' && f.subject.kind === 'container' && f.subject.name === risky['engine-b']), 'the BH004 of engine-b\'s web');
    const merged = JSON.parse(readFileSync(join(dir, 'image-fleet', 'fleet.json'), 'utf8')) as MergedReport;
    assert.equal(merged.fleet.hosts, 1);
  });
});
