/** `bulkhead enter`: real containers on the private engine and real unshare'd processes, entered with the host's nsenter. */
import test, { type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { cliPath, docker, engineTest, runCli, TEST_IMAGE, TEST_NETWORK } from '../support/env.js';

function rootOnly(t: TestContext): boolean {
  if (process.getuid?.() === 0) return true;
  process.stderr.write(`\n*** SKIPPED (not root): ${t.name}\n`);
  t.skip('entering namespaces needs root');
  return false;
}

/** `ip -o addr` lines (iproute2's or busybox's) as "ifname family address" entries, sorted. */
function addresses(text: string): string[] {
  return [...text.matchAll(/^\d+:\s+(\S+)\s+(inet6?)\s+(\S+)/gm)].map((m) => `${m[1]} ${m[2]} ${m[3]}`).sort();
}

/** A running container of the test image, removed after the test. */
function container(t: TestContext, extra: string[] = []): string {
  const name = `e2e-enter-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  docker(['run', '-d', '--name', name, '--hostname', 'enter-host', '--network', TEST_NETWORK, ...extra, TEST_IMAGE, 'sleep', '600']);
  t.after(() => docker(['rm', '-f', name]));
  return name;
}

engineTest('enter --net runs the host\'s ip in the container\'s network namespace: the container\'s own addresses', (t, host) => {
  const name = container(t);
  const r = runCli(['enter', name, '-H', host, '--net', '--', 'ip', '-o', 'addr']);
  assert.equal(r.code, 0, r.stderr);
  const inside = addresses(docker(['exec', name, 'ip', '-o', 'addr']));
  assert.ok(inside.some((a) => a.startsWith('eth0 inet ')), `the container has an eth0 address: ${inside.join('; ')}`);
  assert.deepEqual(addresses(r.stdout), inside);
  // The host's own view is another one: its addresses are not the container's.
  const hostView = addresses(execFileSync('ip', ['-o', 'addr'], { encoding: 'utf8' }));
  assert.ok(!hostView.includes(inside.find((a) => a.startsWith('eth0 inet '))!));
  // No namespace flag means the network namespace only.
  const byDefault = runCli(['enter', name, '-H', host, '--', 'ip', '-o', 'addr']);
  assert.equal(byDefault.code, 0, byDefault.stderr);
  assert.deepEqual(addresses(byDefault.stdout), inside);
});

engineTest('enter --uts sees the container\'s hostname; by id as by name; the command\'s exit status is passed through', (t, host) => {
  const name = container(t);
  const id = docker(['inspect', '-f', '{{.Id}}', name]);
  for (const target of [name, id.slice(0, 12)]) {
    const r = runCli(['enter', target, '-H', host, '--uts', '--', 'hostname']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'enter-host\n');
  }
  assert.equal(runCli(['enter', name, '-H', host, '--', 'sh', '-c', 'exit 7']).code, 7);
  assert.equal(runCli(['enter', name, '-H', host, '--pid', '--', 'sh', '-c', 'exit 7']).code, 7, 'also through the fork nsenter makes for --pid');
  assert.equal(runCli(['enter', name, '-H', host, '--', 'sh', '-c', 'kill -TERM $$']).code, 128 + 15, 'a signal is 128+n');
  const missing = runCli(['enter', name, '-H', host, '--', 'no-such-command-here']);
  assert.equal(missing.code, 127);
  assert.match(missing.stderr, /no-such-command-here/);
});

engineTest('enter a stopped, a created or an unknown container: exit 2 with one clear line', (t, host) => {
  const stopped = container(t);
  docker(['stop', '-t', '0', stopped]);
  const created = `e2e-enter-created-${process.pid}`;
  docker(['create', '--name', created, TEST_IMAGE, 'true']);
  t.after(() => docker(['rm', '-f', created]));
  for (const [target, pattern] of [
    [stopped, new RegExp(`^bulkhead: container ${stopped} is not running \\(exited\\)\\n$`)],
    [created, new RegExp(`^bulkhead: container ${created} is not running \\(created\\)\\n$`)],
    ['no-such-container-e2e', /^bulkhead: no container "no-such-container-e2e" on the Docker engine at unix:\/\/\S+\n$/],
  ] as const) {
    const r = runCli(['enter', target, '-H', host, '--net', '--', 'true']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, pattern);
  }
});

/** A process in a UTS namespace of its own, hostname "inner"; killed after the test. */
async function innerProcess(t: TestContext): Promise<number> {
  const child = spawn('unshare', ['--fork', '--uts', 'sh', '-c', 'hostname inner && echo $$ && exec sleep 600'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let pid: number | undefined;
  t.after(() => {
    if (pid) process.kill(pid, 'SIGKILL');
    child.kill('SIGKILL');
  });
  for await (const line of createInterface({ input: child.stdout })) {
    pid = Number(line);
    break;
  }
  assert.ok(pid && pid > 1, 'the unshare\'d shell told its PID');
  return pid;
}

test('enter PID --uts runs the command in that process\'s UTS namespace', async (t) => {
  if (!rootOnly(t)) return;
  const pid = await innerProcess(t);
  const r = runCli(['enter', String(pid), '--uts', '--', 'hostname']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'inner\n');
  assert.notEqual(execFileSync('hostname', { encoding: 'utf8' }), 'inner\n', 'the host keeps its name');
});

test('enter: no command, no such process, no nsenter, no permission: one line each, exit 2 or 3', async (t) => {
  if (!rootOnly(t)) return;
  const pid = await innerProcess(t);
  const oneLine = (r: { code: number; stdout: string; stderr: string }, code: number, pattern: RegExp) => {
    assert.equal(r.code, code, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^bulkhead: [^\n]*\n$/);
    assert.match(r.stderr, pattern);
  };
  oneLine(runCli(['enter', String(pid), '--uts']), 2, /no COMMAND/);
  oneLine(runCli(['enter', String(pid), '--uts', '--']), 2, /no COMMAND/);
  oneLine(runCli(['enter', '0', '--', 'true']), 2, /no process 0/);
  oneLine(runCli(['enter', '4194305', '--', 'true']), 2, /no process 4194305/, );
  oneLine(runCli(['enter', String(pid), '--uts', '--', 'hostname'], { env: { PATH: '/nonexistent' } }), 3, /nsenter not found: install util-linux/);

  // As nobody: another user's process, then its own process without CAP_SYS_ADMIN.
  const asNobody = (args: string[]) => {
    const r = spawnSync('setpriv', ['--reuid', '65534', '--regid', '65534', '--clear-groups', '--', process.execPath, cliPath, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  };
  if (asNobody(['--version']).code !== 0) {
    t.diagnostic('nobody cannot run the CLI from this checkout: permission cases not checked');
    return;
  }
  oneLine(asNobody(['enter', String(pid), '--uts', '--', 'hostname']), 3, new RegExp(`no permission to enter the namespaces of process ${pid}: /proc/${pid}/ns is not readable`));
  const own = spawn('setpriv', ['--reuid', '65534', '--regid', '65534', '--clear-groups', '--', 'sleep', '600'], { stdio: 'ignore' });
  t.after(() => own.kill('SIGKILL'));
  oneLine(asNobody(['enter', String(own.pid), '--uts', '--', 'hostname']), 3, /needs CAP_SYS_ADMIN/);
});
