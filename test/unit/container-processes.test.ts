/**
 * One pass over /proc serves several engines (a fleet audit): the processes
 * each engine's containers get from a shared scan are those a scan of their
 * own gives. A /proc tree of real files in a temp dir, laid out as the kernel does.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processesByContainer, processesIn, scanContainerProcesses } from '../../src/linux/container-processes.js';

const id = (c: string) => c.repeat(64);
const [A, B, OUTER, INNER] = [id('a'), id('b'), id('c'), id('d')];

function procTree(t: { after: (fn: () => void) => void }): string {
  const proc = mkdtempSync(join(tmpdir(), 'bulkhead-proc-'));
  t.after(() => rmSync(proc, { recursive: true, force: true }));
  const add = (pid: number, cgroup: string, cmdline: string) => {
    mkdirSync(join(proc, String(pid)));
    writeFileSync(join(proc, String(pid), 'cgroup'), cgroup);
    writeFileSync(join(proc, String(pid), 'cmdline'), cmdline);
  };
  add(10, `0::/docker/${A}\n`, 'sleep\u00003600\u0000');
  add(11, `0::/system.slice/docker-${B}.scope\n`, '/usr/sbin/sshd\u0000');
  add(12, `0::/user.slice\n`, 'bash\u0000');
  // Docker in Docker: the inner container's process is under its parent's cgroup too.
  add(13, `0::/docker/${OUTER}/docker/${INNER}\n`, 'nginx\u0000');
  mkdirSync(join(proc, 'self'));
  return proc;
}

test('a shared scan gives each engine what a scan of its own gives', async (t) => {
  const proc = procTree(t);
  const scan = await scanContainerProcesses(proc);
  assert.deepEqual(scan.map((p) => p.pid).sort(), [10, 11, 13], 'only processes in containers');
  for (const ids of [[A], [B, INNER], [OUTER], [INNER], [A, B, OUTER, INNER]]) {
    assert.deepEqual(processesIn(scan, ids), await processesByContainer(ids, proc), ids.map((i) => i[0]).join());
  }
  assert.deepEqual(processesIn(scan, [A, B]), new Map([[A, [{ pid: 10, command: 'sleep 3600' }]], [B, [{ pid: 11, command: '/usr/sbin/sshd' }]]]));
  // Nested: the process counts for the outermost audited container, as before.
  assert.deepEqual([...processesIn(scan, [OUTER, INNER]).keys()], [OUTER]);
  assert.deepEqual(processesIn(scan, [INNER]).get(INNER), [{ pid: 13, command: 'nginx' }]);
});

test('a process that exits between the scan and its engine\'s turn is left out', async (t) => {
  const proc = procTree(t);
  const scan = await scanContainerProcesses(proc);
  rmSync(join(proc, '11'), { recursive: true });
  assert.equal(processesIn(scan, [B]).get(B), undefined);
  assert.equal(processesIn(scan, [A]).get(A)?.length, 1);
});

test('the scan lets other work run between its turns, and finds the same processes whatever the turn', async (t) => {
  const proc = procTree(t);
  // Work queued as an engine's answers are: it must run while the scan is still going.
  let ranDuring = 0;
  let scanning = true;
  const tick = () => {
    if (!scanning) return;
    ranDuring++;
    setImmediate(tick);
  };
  setImmediate(tick);
  const inTurns = await scanContainerProcesses(proc, 1);
  scanning = false;
  assert.ok(ranDuring >= 3, `other work ran ${ranDuring} times during a scan of 5 entries in turns of 1`);
  const whole = await scanContainerProcesses(proc, 1000);
  assert.deepEqual(inTurns.map((p) => [p.pid, p.ids]), whole.map((p) => [p.pid, p.ids]));
});
