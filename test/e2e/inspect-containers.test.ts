/** `bulkhead inspect CONTAINER` on the private engine agrees with what `docker run` asked for. */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { docker, engineHost, engineTest, runCli, TEST_IMAGE } from '../support/env.js';

function run(t: TestContext, name: string, flags: readonly string[]): string {
  const full = `e2e-inspect-${name}-${process.pid}`;
  t.after(() => {
    docker(['rm', '-f', full]);
  });
  docker(['run', '-d', '--name', full, ...flags, TEST_IMAGE, 'sleep', '300']);
  return full;
}

function inspect(name: string, host: string): Record<string, any> {
  const r = runCli(['inspect', name, '-H', host, '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Record<string, any>;
}

engineTest('a default container: own namespaces, Docker\'s default capabilities, seccomp filter, the container and its audit findings', async (t, host) => {
  const name = run(t, 'default', []);
  const doc = inspect(name, host);
  assert.deepEqual(Object.keys(doc), ['pid', 'container', 'namespaces', 'capabilities', 'noNewPrivs', 'seccomp', 'apparmor', 'selinux', 'cgroups', 'network', 'mounts', 'findings', 'notes']);
  assert.equal(doc['pid'], Number(docker(['inspect', '-f', '{{.State.Pid}}', name])));
  assert.deepEqual(doc['container'], { name, id: docker(['inspect', '-f', '{{.Id}}', name]), image: TEST_IMAGE });
  for (const type of ['ipc', 'mnt', 'net', 'pid', 'uts']) assert.equal(doc['namespaces'][type].sharedWithHost, false, type);
  assert.deepEqual(doc['capabilities']['beyondDockerDefault'], []);
  assert.deepEqual([...doc['capabilities']['effective']].sort(), ['audit_write', 'chown', 'dac_override', 'fowner', 'fsetid', 'kill', 'mknod', 'net_bind_service', 'net_raw', 'setfcap', 'setgid', 'setpcap', 'setuid', 'sys_chroot']);
  assert.equal(doc['seccomp'], 'filter');
  // The engine's cgroup path names the container.
  const id = doc['container'].id as string;
  assert.ok(doc['cgroups'].v1.some((e: { path: string }) => e.path.includes(id)), JSON.stringify(doc['cgroups'].v1));
  assert.equal(doc['cgroups'].limits.memoryBytes, 'max');
  // The live audit's findings are about this container only, in the audit's JSON shape.
  assert.ok((doc['findings'] as { subject: { name: string } }[]).every((f) => f.subject.name === name));
  // The audit says the same about it.
  const audit = JSON.parse(runCli(['audit', '-H', host, '--sections', 'containers', '-f', 'json', '--fail-on', 'none']).stdout) as { findings: { ruleId: string; subject: { name: string } }[] };
  assert.deepEqual(
    (doc['findings'] as { ruleId: string }[]).map((f) => f.ruleId).sort(),
    audit.findings.filter((f) => f.subject.name === name).map((f) => f.ruleId).sort(),
  );
});

engineTest('--net=host --pid=host: those namespaces shared with the host, highlighted in text', async (t, host) => {
  const name = run(t, 'hostns', ['--net=host', '--pid=host']);
  const doc = inspect(name, host);
  assert.equal(doc['namespaces']['net'].sharedWithHost, true);
  assert.equal(doc['namespaces']['pid'].sharedWithHost, true);
  assert.equal(doc['namespaces']['mnt'].sharedWithHost, false);
  assert.equal(doc['namespaces']['uts'].sharedWithHost, false);
  assert.ok((doc['network'].interfaces as { name: string }[]).some((i) => i.name !== 'lo'), 'the host\'s interfaces');
  const text = runCli(['inspect', name, '-H', host]).stdout;
  assert.match(text, /net\s+\d+\s+shared with host\s+! shares the host's net namespace/);
  assert.match(text, /pid\s+\d+\s+shared with host\s+! shares the host's pid namespace/);
});

engineTest('--cap-add, --memory, --pids-limit, --cpuset-cpus: inspect reads them back from the kernel', async (t, host) => {
  const name = run(t, 'limits', ['--cap-add', 'SYS_ADMIN', '--cap-add', 'NET_ADMIN', '--cap-drop', 'MKNOD', '--memory', '64m', '--pids-limit', '50', '--cpuset-cpus', '0']);
  const doc = inspect(name, host);
  assert.deepEqual([...doc['capabilities']['beyondDockerDefault']].sort(), ['net_admin', 'sys_admin']);
  assert.ok(doc['capabilities']['effective'].includes('sys_admin'));
  assert.ok(!doc['capabilities']['bounding'].includes('mknod'));
  assert.equal(doc['cgroups'].limits.memoryBytes, 64 * 1024 * 1024);
  assert.equal(doc['cgroups'].limits.pidsMax, 50);
  assert.equal(doc['cgroups'].limits.cpus, '0');
  const text = runCli(['inspect', name, '-H', host]).stdout;
  assert.match(text, /! capabilities beyond Docker's default: sys_admin, net_admin|! capabilities beyond Docker's default: net_admin, sys_admin/);
  assert.doesNotMatch(text, /no memory limit|no pids limit/);
});

engineTest('the engine\'s socket and a host folder mounted, system paths and seccomp unconfined: mounts of note, seccomp disabled', async (t, host) => {
  const socket = engineHost!.replace(/^unix:\/\//, '');
  const name = run(t, 'sock', ['--security-opt', 'seccomp=unconfined', '--security-opt', 'systempaths=unconfined', '--cap-add', 'SYS_ADMIN', '-v', `${socket}:/var/run/docker.sock`, '-v', '/etc:/host-etc:ro']);
  const doc = inspect(name, host);
  const mounts = new Map((doc['mounts'] as { mountPoint: string; concerns: string[]; source: string }[]).map((m) => [m.mountPoint, m]));
  assert.deepEqual(mounts.get('/var/run/docker.sock')?.concerns, ['engine-socket']);
  assert.deepEqual(mounts.get('/host-etc')?.concerns, ['host-path']);
  // Without --privileged, /sys stays read-only; with system paths unconfined, /proc/sys is not remounted read-only.
  assert.equal(mounts.get('/sys'), undefined);
  assert.ok(mounts.get('/proc')?.concerns.includes('writable-proc-sys'), JSON.stringify([...mounts.keys()]));
  assert.equal(doc['seccomp'], 'disabled');
  assert.ok(doc['capabilities']['effective'].includes('sys_admin'));
  const text = runCli(['inspect', name, '-H', host]).stdout;
  assert.match(text, /\/var\/run\/docker\.sock .*! the engine's socket/);
});

engineTest('a stopped container, a missing one: exit 2 with one clear line', async (t, host) => {
  const name = run(t, 'stopped', []);
  docker(['stop', '-t', '0', name]);
  const r = runCli(['inspect', name, '-H', host]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^bulkhead: container e2e-inspect-stopped-\d+ is not running \(exited\): there is no process to inspect\n$/);
  const missing = runCli(['inspect', 'no-such-container-here', '-H', host]);
  assert.equal(missing.code, 2);
  assert.equal(missing.stderr, 'bulkhead: no such container: no-such-container-here\n');
});
