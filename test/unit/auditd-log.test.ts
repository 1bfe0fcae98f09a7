/** `bulkhead auditd report` on audit.log text recorded from the real auditd and kernel (scripts/record-audit-log.sh). */
import test from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { decodeString, EventReader, parseRecord, type AuditEvent } from '../../src/harden/auditd/log.js';
import { parseSince } from '../../src/harden/auditd/since.js';
import { InputError } from '../../src/core/errors.js';
import { fixturesDir, runCli } from '../support/env.js';
import { assertRecordedEvents, passwdHost, reportJson, type JsonReport } from '../support/audit-log-events.js';

const recordedDir = join(fixturesDir, 'unit', 'recorded', 'auditd');
const recordedLog = join(recordedDir, 'audit.log');
const watchedDir = readFileSync(join(recordedDir, 'watched-dir'), 'utf8').trim();
const recorded = readFileSync(recordedLog, 'utf8');
/** The stamps of the recorded log's events of more than one record, in order. */
const multiRecordStamps = (() => {
  const counts = new Map<string, number>();
  for (const m of recorded.matchAll(/msg=audit\(([0-9.]+:[0-9]+)\)/g)) counts.set(m[1]!, (counts.get(m[1]!) ?? 0) + 1);
  return [...counts].filter(([, n]) => n > 1).map(([stamp]) => `(${stamp})`);
})();

function tempFile(t: import('node:test').TestContext, name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-auditlog.'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

test('report: the recorded log, each event readable (who, program, syscall, path, success) and counted', (t) => {
  assertRecordedEvents(reportJson(t, recordedLog), watchedDir);
});

test('report: text output, names sanitized and a summary; the events before --since left out', (t) => {
  const root = passwdHost(t);
  const r = runCli(['auditd', 'report', '--root', root, '--log', recordedLog]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^TIME \(UTC\) +USER +SYSCALL +OK +EXECUTABLE \(COMMAND\) +PATH$/m);
  assert.match(r.stdout, /Z alice as root +fchmodat +yes \/usr\/bin\/chmod +\S+\/daemon\.json$/m);
  assert.match(r.stdout, /^6 events with key "docker" in /m);
  assert.match(r.stdout, /^by executable:\n +2  \/usr\/bin\/cat$/m);
  // The fourth event's time, to the millisecond: --since keeps it and what follows.
  const times = reportJson(t, recordedLog).events.map((e) => e.time);
  const later = reportJson(t, recordedLog, ['--since', times[3]!]);
  assert.deepEqual(later.events.map((e) => e.time), times.slice(3));
  assert.equal(reportJson(t, recordedLog, ['--key', 'nothing']).events.length, 0, 'another key: none of these');
});

test('report: malformed lines are counted and skipped with one note; truncated and interleaved records still make events', (t) => {
  const lines = recorded.split('\n').filter(Boolean);
  // Interleave: the second half's records before the first half's last ones, plus garbage.
  const damaged = ['garbage \x1b[31m line', ...lines.slice(0, 10), 'type=SYSCALL msg=audit(broken', ...lines.slice(10), 'type=PATH msg=audit(12:'].join('\n');
  const log = tempFile(t, 'audit.log', damaged);
  const r = runCli(['auditd', 'report', '--root', passwdHost(t), '--log', log, '-f', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as { events: unknown[]; malformedLines: number };
  assert.equal(doc.events.length, 6);
  assert.equal(doc.malformedLines, 3);
  assert.equal(r.stderr.match(/not audit records/g)?.length, 1, 'one note');
  assert.match(r.stderr, /skipped 3 lines that are not audit records \(the first at .*audit\.log:1\)/);
  assert.doesNotMatch(r.stderr, /\x1b/);
});

test('report: records of events that interleave are grouped by their audit(EPOCH:SERIAL) stamp', () => {
  const stamps = multiRecordStamps.slice(0, 3);
  const lines = recorded.split('\n').filter((l) => stamps.some((s) => l.includes(s)));
  assert.ok(stamps.length === 3 && lines.length > 6, 'the recorded log has events of several records');
  const shuffled = [...lines.filter((_, i) => i % 2 === 0), ...lines.filter((_, i) => i % 2 === 1)];
  const events: AuditEvent[] = [];
  const reader = new EventReader((e) => events.push(e));
  shuffled.forEach((l, i) => reader.line(l, 'x', i + 1));
  reader.end();
  const byLines = (ls: string[]) => {
    const out: AuditEvent[] = [];
    const r = new EventReader((e) => out.push(e));
    ls.forEach((l, i) => r.line(l, 'x', i + 1));
    r.end();
    return out.sort((a, b) => a.serial - b.serial);
  };
  // The shuffle also reorders an event's own records: compare what does not depend on their order.
  const normal = (list: AuditEvent[]) => list.sort((a, b) => a.serial - b.serial).map((e) => ({ ...e, types: [...e.types].sort(), paths: [...e.paths].sort() }));
  assert.equal(events.length, 3);
  assert.deepEqual(normal(events), normal(byLines(lines)));
});

test('a log that repeats one stamp (copied into itself 2,000 times) keeps each event to 64 records; the rest are counted as malformed', () => {
  const lines = recorded.split('\n').filter((l) => l.includes(multiRecordStamps[0]!) && !l.startsWith('type=EOE'));
  assert.ok(lines.length > 1);
  const events: AuditEvent[] = [];
  const reader = new EventReader((e) => events.push(e));
  for (let copy = 0; copy < 2000; copy++) lines.forEach((l, i) => reader.line(l, 'x', copy * lines.length + i + 1));
  reader.end();
  assert.equal(events.length, 1);
  assert.equal(events[0]!.types.length, 64);
  assert.equal(reader.malformed, 2000 * lines.length - 64);
});

test('log fields: quoted, hex (blanks), (null); records with node= and RAW format', () => {
  assert.equal(decodeString('"a b"'), 'a b');
  assert.equal(decodeString('2F746D702F612062'), '/tmp/a b');
  assert.equal(decodeString('(null)'), undefined);
  assert.equal(decodeString('636174002F78'), 'cat /x');
  const r = parseRecord('node=h1 type=CWD msg=audit(1700000000.123:42): cwd="/root"');
  assert.deepEqual(r && { type: r.type, id: r.id, time: r.time, cwd: r.fields.get('cwd') }, { type: 'CWD', id: '1700000000.123:42', time: 1700000000123, cwd: '"/root"' });
  assert.equal(parseRecord('type=CWD msg=audit(1700000000.123:42)'), undefined);
});

test('log parser: arbitrary lines give events or a count, never a crash', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.string({ maxLength: 120 }), fc.constantFrom(...recorded.split('\n')).map((l) => l.slice(0, 90))), { maxLength: 30 }), (ls) => {
      const reader = new EventReader(() => undefined);
      ls.forEach((l, i) => reader.line(l, 'x', i + 1));
      reader.end();
      assert.ok(reader.malformed <= ls.length);
    }),
    { numRuns: 500 },
  );
});

test('--since: ISO dates and times, now-N units, today, recent; anything else a usage error', () => {
  const now = new Date(2026, 10, 29, 15, 30, 0);
  assert.equal(parseSince('recent', now), now.getTime() - 600_000);
  assert.equal(parseSince('now-2h', now), now.getTime() - 7_200_000);
  assert.equal(parseSince('now-90s', now), now.getTime() - 90_000);
  assert.equal(parseSince('today', now), new Date(2026, 10, 29).getTime());
  assert.equal(parseSince('2026-11-28', now), new Date(2026, 10, 28).getTime(), 'a date is the local midnight');
  assert.equal(parseSince('2026-11-28T10:00:00Z', now), Date.UTC(2026, 10, 28, 10));
  for (const bad of ['yesterday', 'now-1y', '28/11/2026', '']) assert.throws(() => parseSince(bad, now), InputError, bad);
  const r = runCli(['auditd', 'report', '--log', recordedLog, '--since', 'soon']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^bulkhead: --since: cannot read "soon"/);
});

test('report: a --log that does not exist is a usage error, one line', () => {
  const r = runCli(['auditd', 'report', '--log', '/nonexistent/audit.log']);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, 'bulkhead: /nonexistent/audit.log: no such file\n');
});

test('report: default log under --root, rotated files read oldest first', (t) => {
  const lines = recorded.split('\n');
  // Rotated between two events: the later ones in audit.log, the earlier in audit.log.1.
  const cut = lines.findIndex((l) => l.includes(multiRecordStamps[2]!));
  assert.ok(cut > 0);
  const root = passwdHost(t);
  mkdirSync(join(root, 'var/log/audit'), { recursive: true });
  writeFileSync(join(root, 'var/log/audit/audit.log.1'), lines.slice(0, cut).join('\n') + '\n');
  writeFileSync(join(root, 'var/log/audit/audit.log'), lines.slice(cut).join('\n'));
  const r = runCli(['auditd', 'report', '--root', root, '-f', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as { logs: string[]; events: unknown[] };
  assert.deepEqual(doc.logs, [join(root, 'var/log/audit/audit.log.1'), join(root, 'var/log/audit/audit.log')]);
  assertRecordedEvents(JSON.parse(r.stdout), watchedDir);
  const none = runCli(['auditd', 'report', '--root', passwdHost(t)]);
  assert.equal(none.code, 3);
  assert.match(none.stderr, /^bulkhead: no audit log at \/var\/log\/audit\/audit\.log under .*: pass --log FILE\n$/);
});

// Review fixes: bad input is one line and exit 2 (or a counted, skipped line), never an internal error or half a JSON document.

/** The recorded log with every record of the event with serial `serial` given the epoch `epoch`. */
function withEpoch(serial: number, epoch: string): string {
  return recorded.replace(new RegExp(`msg=audit\\(\\d+\\.(\\d{3}):${serial}\\)`, 'g'), `msg=audit(${epoch}.$1:${serial})`);
}

test('log parser: a record whose time is not one a Date can hold is malformed, not a crash', () => {
  assert.equal(parseRecord('type=SYSCALL msg=audit(99999999999999999.000:5): arch=c000003e syscall=2 key="docker"'), undefined);
  assert.equal(parseRecord(`type=SYSCALL msg=audit(${'9'.repeat(400)}.000:5): key="docker"`), undefined, 'an epoch that is Infinity as a number');
  assert.equal(parseRecord('type=SYSCALL msg=audit(8640000000000.000:5): key="docker"')?.time, 8.64e15, 'the last time a Date holds is one');
});

test('report: a record with a huge epoch is skipped, counted and noted; the JSON is whole and the exit 0', (t) => {
  const serial = Number(/msg=audit\(\d+\.\d{3}:(\d+)\)[^\n]*key="docker"/.exec(recorded)![1]);
  const log = tempFile(t, 'audit.log', withEpoch(serial, '99999999999999999'));
  const records = recorded.split('\n').filter((l) => l.includes(`:${serial})`)).length;
  for (const format of ['json', 'text']) {
    const r = runCli(['auditd', 'report', '--root', passwdHost(t), '--log', log, '-f', format]);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /internal error/);
    assert.match(r.stderr, new RegExp(`skipped ${records} lines? .*not audit records`));
    if (format === 'json') {
      const doc = JSON.parse(r.stdout) as { events: unknown[]; malformedLines: number };
      assert.equal(doc.events.length, 5, 'the other five events');
      assert.equal(doc.malformedLines, records);
    }
  }
});

test('--since: a value whose time a Date cannot hold is a usage error naming it', () => {
  for (const bad of ['now-99999999999d', `now-${'9'.repeat(400)}s`]) {
    assert.throws(() => parseSince(bad), (e: unknown) => e instanceof InputError && e.message.includes(`"${bad}"`), bad);
  }
  for (const format of ['text', 'json']) {
    const r = runCli(['auditd', 'report', '--log', recordedLog, '--since', 'now-99999999999d', '-f', format]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^bulkhead: --since: .*"now-99999999999d".*\n$/);
    assert.equal(r.stdout, '');
  }
});

test('--since: impossible dates are refused (the parts must round-trip); real ones, leap days included, kept', () => {
  const now = new Date(2026, 10, 29, 15, 30, 0);
  for (const bad of ['2026-13-45', '2026-02-30', '2026-02-29', '2026-00-10', '2026-04-31', '2026-11-00', '2026-02-30T10:00:00Z', '2026-13-01T00:00']) {
    assert.throws(() => parseSince(bad, now), InputError, bad);
  }
  assert.equal(parseSince('2028-02-29', now), new Date(2028, 1, 29).getTime());
  assert.equal(parseSince('2026-12-31', now), new Date(2026, 11, 31).getTime());
  assert.equal(parseSince('0050-06-01', now), new Date('0050-06-01T00:00').getTime(), 'a year below 100 is that year, not 19xx');
  assert.equal(parseSince('2026-01-31T23:59:59Z', now), Date.UTC(2026, 0, 31, 23, 59, 59));
  const r = runCli(['auditd', 'report', '--log', recordedLog, '--since', '2026-13-45']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^bulkhead: --since: cannot read "2026-13-45"[^\n]*\n$/);
  assert.equal(r.stdout, '');
});

test('report: a --log that is a directory is a usage error naming it, with nothing on stdout', () => {
  for (const format of ['text', 'json']) {
    const r = runCli(['auditd', 'report', '--log', tmpdir(), '-f', format]);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr, `bulkhead: ${tmpdir()}: is a directory, not an audit log\n`);
    assert.equal(r.stdout, '');
  }
});

test('report: a default log that cannot be read after another was read leaves nothing half-written', (t) => {
  const root = passwdHost(t);
  mkdirSync(join(root, 'var/log/audit/audit.log'), { recursive: true });
  writeFileSync(join(root, 'var/log/audit/audit.log.1'), recorded);
  for (const format of ['text', 'json']) {
    const r = runCli(['auditd', 'report', '--root', root, '-f', format]);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr, `bulkhead: ${join(root, 'var/log/audit/audit.log')}: is a directory, not an audit log\n`);
    assert.equal(r.stdout, '', 'nothing read is printed when a log cannot be');
  }
});

test('report -f json: a read error in the middle of a log is one line, exit 3, and no JSON at all', () => {
  // /proc/self/mem opens, and its first read (address 0, never mapped) fails with EIO: a real read error after open.
  const r = runCli(['auditd', 'report', '--log', '/proc/self/mem', '-f', 'json']);
  assert.equal(r.code, 3, r.stderr);
  assert.equal(r.stderr, 'bulkhead: cannot read /proc/self/mem: EIO\n');
  assert.equal(r.stdout, '');
});

test('report: a rotated log under --root that cannot be resolved (a symlink loop) is one line, exit 3, not an internal error', (t) => {
  const root = passwdHost(t);
  mkdirSync(join(root, 'var/log/audit'), { recursive: true });
  writeFileSync(join(root, 'var/log/audit/audit.log'), recorded);
  symlinkSync('audit.log.1', join(root, 'var/log/audit/audit.log.1'));
  const r = runCli(['auditd', 'report', '--root', root, '-f', 'json']);
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /^bulkhead: cannot read \/var\/log\/audit\/audit\.log\.1: [^\n]*symbolic links\n$/);
  assert.equal(r.stdout, '');
});

test('report -f json: DEL, C1 controls and U+2028/2029 decoded from hex fields are \\u escapes, never raw; the data parses back the same', (t) => {
  // comm: DEL, "A", U+009B (C1 CSI, UTF-8 C2 9B), "[31m"; exe: /tmp/ U+0085 x U+2028; a path with U+009F; key docker.
  const hex = (s: string) => Buffer.from(s, 'utf8').toString('hex').toUpperCase();
  const comm = '\x7fA\x9b[31m';
  const exe = '/tmp/\x85x\u2028';
  const path = '/etc/\x9fdocker';
  const log = tempFile(t, 'audit.log', [
    `type=SYSCALL msg=audit(1700000000.123:42): arch=c000003e syscall=2 success=yes exit=3 pid=5 auid=1000 uid=0 comm=${hex(comm)} exe=${hex(exe)} key="docker"`,
    `type=PATH msg=audit(1700000000.123:42): item=0 name=${hex(path)} nametype=NORMAL`,
    `type=PROCTITLE msg=audit(1700000000.123:42): proctitle=${hex('x\u2029y')}`,
    '',
  ].join('\n'));
  const r = runCli(['auditd', 'report', '--root', passwdHost(t), '--log', log, '-f', 'json']);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /[\x7f-\x9f\u2028\u2029]/, 'no raw DEL, C1 or separator on stdout');
  assert.match(r.stdout, /\\u009b\[31m/);
  const doc = JSON.parse(r.stdout) as JsonReport;
  assert.equal(doc.events.length, 1);
  assert.deepEqual([doc.events[0]!.comm, doc.events[0]!.exe, doc.events[0]!.paths, doc.events[0]!.proctitle], [comm, exe, [path], 'x\u2029y']);
  assert.deepEqual(doc.summary.byExecutable, [{ name: exe, count: 1 }]);
  const text = runCli(['auditd', 'report', '--root', passwdHost(t), '--log', log]);
  assert.equal(text.code, 0, text.stderr);
  assert.doesNotMatch(text.stdout, /[\x00-\x08\x0b-\x1f\x7f-\x9f]/, 'text output: controls removed');
});

/** Peak memory of the CLI in KiB, measured by /usr/bin/time (GNU time, Debian's `time`), or undefined without it. */
function peakKiB(t: import('node:test').TestContext, args: readonly string[]): { r: ReturnType<typeof runCli>; kib?: number } {
  if (!existsSync('/usr/bin/time')) return { r: runCli(args) };
  const out = tempFile(t, 'rss', '');
  const r = runCli(args, { wrap: ['/usr/bin/time', '-f', '%M', '-o', out] });
  return { r, kib: Number(readFileSync(out, 'utf8').trim().split('\n').pop()) };
}

test('report: a line longer than 1 MiB (a run of NULs, a record padded out) is counted and skipped like any line that is not a record; the rest is read', (t) => {
  // 3 MiB of NUL bytes with no line break (what a crash can leave in a log), then a padded "record", then the recorded log.
  const log = tempFile(t, 'audit.log', '');
  truncateSync(log, 3 * 1024 * 1024);
  appendFileSync(log, `\ntype=SYSCALL msg=audit(1700000000.123:42): key="docker" comm="${'a'.repeat(1024 * 1024)}"\n${recorded}`);
  const alone = reportJson(t, recordedLog);
  for (const format of ['json', 'text']) {
    const r = runCli(['auditd', 'report', '--root', passwdHost(t), '--log', log, '-f', format]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^bulkhead: warning: skipped 2 lines that are not audit records \(the first at .*audit\.log:1\)\n$/);
    if (format === 'json') {
      const doc = JSON.parse(r.stdout) as JsonReport;
      assert.equal(doc.malformedLines, 2);
      assert.deepEqual([doc.events, doc.summary], [alone.events, alone.summary], 'the recorded log\'s events, as read alone');
    } else assert.match(r.stdout, /^6 events with key "docker" in /m);
  }
});

test('report: a log with no line break in 512 MiB (a sparse 1 GiB file, /dev/zero) is one line, exit 2, nothing on stdout, memory small', (t) => {
  const log = tempFile(t, 'x.log', '');
  truncateSync(log, 1024 * 1024 * 1024);
  for (const file of [log, '/dev/zero']) {
    const { r, kib } = peakKiB(t, ['auditd', 'report', '--log', file, '-f', 'json']);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr, `bulkhead: ${file}:1: a line of more than the 536870912 bytes bulkhead reads\n`);
    assert.equal(r.stdout, '');
    if (kib !== undefined) assert.ok(kib < 200 * 1024, `peak memory ${kib} KiB`);
  }
});
