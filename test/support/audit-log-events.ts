import assert from 'node:assert/strict';
import { runCli } from './env.js';
import { hostTree } from './host-tree.js';
import type { TestContext } from 'node:test';

/** A host whose /etc/passwd names the ids scripts/record-audit-log.sh acts as. */
export function passwdHost(t: TestContext): string {
  return hostTree(t, {
    'etc/passwd': 'root:x:0:0:root:/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n',
  });
}

export interface JsonEvent {
  time: string;
  user: string;
  auid: number | null;
  uid: number | null;
  uidName: string | null;
  exe: string | null;
  comm: string | null;
  proctitle: string | null;
  syscall: string | null;
  success: boolean | null;
  paths: string[];
  keys: string[];
  op?: string;
}

export interface JsonReport {
  events: JsonEvent[];
  summary: Record<'byUser' | 'byExecutable' | 'byPath', { name: string; count: number }[]>;
  malformedLines: number;
}

/** `auditd report --log LOG -f json` under a --root whose passwd names the users. */
export function reportJson(t: TestContext, log: string, extra: readonly string[] = []): JsonReport {
  const r = runCli(['auditd', 'report', '--root', passwdHost(t), '--log', log, '-f', 'json', ...extra]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as JsonReport;
}

/** The six events scripts/record-audit-log.sh makes, as the report must show them. `dir` is where its watched files were. */
export function assertRecordedEvents(report: JsonReport, dir: string): void {
  const e = report.events;
  assert.equal(e.length, 6, JSON.stringify(e, null, 1));
  const daemonJson = `${dir}/daemon.json`;
  assert.deepEqual(
    e.map((x) => [x.op ?? x.syscall, x.user, x.uidName, x.exe, x.success]),
    [
      ['add_rule', 'unset', 'root', '/usr/sbin/auditctl', true],
      ['add_rule', 'unset', 'root', '/usr/sbin/auditctl', true],
      ['openat', 'unset', 'root', '/usr/bin/cat', true],
      ['fchmodat', 'alice', 'root', '/usr/bin/chmod', true],
      ['openat', 'unset', 'nobody', '/usr/bin/cat', false],
      ['openat', 'alice', 'root', '/usr/bin/touch', true],
    ],
  );
  assert.deepEqual(e[2]!.paths, [daemonJson]);
  assert.equal(e[2]!.auid, null, 'auid 4294967295 is unset');
  assert.equal(e[3]!.auid, 1000);
  assert.equal(e[4]!.uid, 65534);
  // The kernel hex-encodes names with a blank; they come back as written.
  assert.deepEqual(e[1]!.paths, [`${dir}/docker dir`]);
  assert.deepEqual(e[5]!.paths, [`${dir}/docker dir/new file`], 'the created file, not its parent folder');
  assert.equal(e[2]!.proctitle, `cat ${daemonJson}`, 'argv from the hex PROCTITLE, NULs as blanks');
  assert.ok(e.every((x) => x.keys.includes('docker')));
  assert.ok(e.every((x, i) => i === 0 || x.time >= e[i - 1]!.time), 'in log order');
  assert.deepEqual(report.summary.byUser, [
    { name: 'unset as root', count: 3 },
    { name: 'alice as root', count: 2 },
    { name: 'unset as nobody', count: 1 },
  ]);
  assert.deepEqual(report.summary.byPath[0], { name: daemonJson, count: 3 });
  assert.equal(report.malformedLines, 0);
}
