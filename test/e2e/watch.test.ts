/**
 * `bulkhead watch` as users run it: the bundled CLI as a child process on the
 * private engine, its stdout read line by line as audits happen. Nothing here
 * waits a fixed time: each step waits for the line it expects (20 s at most)
 * and fails with what was seen.
 */
import assert from 'node:assert/strict';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type TestContext } from 'node:test';
import { cliPath, docker, engineTest, repoRoot, runCli, TEST_IMAGE } from '../support/env.js';
import { parseExposition, type Exposition } from '../support/exposition.js';

const WAIT_MS = 20_000;

interface WatchLine {
  time: string;
  event: string;
  container: { name: string; id: string; image: string };
  findings: { ruleName: string; severity: string; subject: { kind: string; name: string } }[];
  summary: { findings: number; bySeverity: Record<string, number>; failed: boolean };
}

/** A running `bulkhead watch`: its stdout lines and stderr as they come. */
class Watch {
  readonly lines: string[] = [];
  stderr = '';
  private readonly child: ChildProcess;
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private waiters: (() => void)[] = [];

  constructor(args: readonly string[]) {
    this.child = spawn(process.execPath, [cliPath, 'watch', ...args], { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let pending = '';
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      const parts = pending.split('\n');
      pending = parts.pop()!;
      this.lines.push(...parts);
      this.wake();
    });
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
      this.wake();
    });
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
    this.exited.then(() => this.wake());
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Waits until `found` returns something (checked on each output), or fails with the output so far. */
  async until<T>(what: string, found: () => T | undefined, waitMs = WAIT_MS): Promise<T> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const v = found();
      if (v !== undefined) return v;
      if (this.child.exitCode !== null || this.child.signalCode !== null) throw new Error(`watch exited (${this.child.exitCode ?? this.child.signalCode}) before ${what}\nstdout:\n${this.lines.join('\n')}\nstderr:\n${this.stderr}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${what} within ${waitMs / 1000} s\nstdout:\n${this.lines.join('\n')}\nstderr:\n${this.stderr}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 500));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  json(): WatchLine[] {
    return this.lines.map((l) => JSON.parse(l) as WatchLine);
  }

  /** The JSON lines about one container. */
  of(name: string): WatchLine[] {
    return this.json().filter((l) => l.container.name === name);
  }

  line(name: string, what: string, ok: (l: WatchLine) => boolean = () => true, waitMs = WAIT_MS): Promise<WatchLine> {
    return this.until(`line for ${name} (${what})`, () => this.of(name).find(ok), waitMs);
  }

  stderrMatch(re: RegExp, what: string): Promise<RegExpMatchArray> {
    return this.until(what, () => this.stderr.match(re) ?? undefined);
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }

  /** For t.after: never leaves a watch running. */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

function scrape(url: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

function value(e: Exposition, name: string, labels: Record<string, string> = {}): number | undefined {
  return e.samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v) && Object.keys(s.labels).length === Object.keys(labels).length)?.value;
}

const unique = (base: string) => `${base}-${process.pid}-${Math.random().toString(36).slice(2, 7)}`;

function removeAfter(t: TestContext, run: (args: string[]) => string, ...names: string[]): void {
  t.after(() => {
    for (const n of names) {
      try {
        run(['rm', '-f', n]);
      } catch {
        // already gone, or its engine is
      }
    }
  });
}

engineTest('watch: a container started after the watch begins is reported with its findings; an update is a new state; a restart with no change is not', async (t) => {
  const risky = unique('watch-risky');
  const marker = unique('watch-marker');
  removeAfter(t, docker, risky, marker);
  const w = new Watch(['-H', process.env['BULKHEAD_TEST_DOCKER_HOST']!, '--format', 'json']);
  t.after(() => w.kill());
  await w.stderrMatch(/following events/, 'start-up message');

  const id = docker(['run', '-d', '--name', risky, '--cap-add', 'SYS_ADMIN', TEST_IMAGE, 'sleep', '600']);
  const first = await w.line(risky, 'capabilities-added', (l) => l.findings.some((f) => f.ruleName === 'capabilities-added'));
  assert.ok(['create', 'start'].includes(first.event), first.event);
  assert.deepEqual(first.container, { name: risky, id, image: TEST_IMAGE });
  assert.ok(!Number.isNaN(Date.parse(first.time)));
  const added = first.findings.find((f) => f.ruleName === 'capabilities-added')!;
  assert.equal(added.severity, 'critical');
  assert.deepEqual(added.subject, { kind: 'container', name: risky, id });
  assert.ok(first.summary.bySeverity['critical']! >= 1);
  assert.equal(first.summary.findings, first.findings.length);
  assert.equal(first.summary.failed, true);
  assert.ok(first.findings.some((f) => f.ruleName === 'no-memory-limit'));

  // A memory limit: a new state, and a finding fewer. The watch audits a container as it is when it handles the event: a watch
  // still behind (the start event not yet handled) reports the new state on that event, and the update event then finds nothing new.
  docker(['update', '--memory', '64m', '--memory-swap', '128m', risky]);
  const updated = await w.line(risky, 'the updated state', (l) => !l.findings.some((f) => f.ruleName === 'no-memory-limit'));
  assert.ok(['start', 'update'].includes(updated.event), updated.event);
  assert.ok(updated.findings.some((f) => f.ruleName === 'capabilities-added'));

  // A restart changes nothing the rules read: no line. Events are handled in order, so once the marker's line is out, the restart's were handled.
  // Events are handled in order: once the marker's line is out, the update's event was handled.
  const settled = unique('watch-settled');
  removeAfter(t, docker, settled);
  docker(['run', '-d', '--name', settled, TEST_IMAGE, 'sleep', '600']);
  await w.line(settled, 'marker');
  const before = w.of(risky).length;
  docker(['restart', '-t', '0', risky]);
  docker(['run', '-d', '--name', marker, TEST_IMAGE, 'sleep', '600']);
  await w.line(marker, 'marker');
  assert.equal(w.of(risky).length, before, `a restart with no change was reported again:\n${w.lines.join('\n')}`);

  const end = await w.stop('SIGTERM');
  // The process ends by itself, stream and all closed (watch never calls process.exit): exit 0.
  assert.deepEqual(end, { code: 0, signal: null }, w.stderr);
  assert.match(w.stderr, /stopped/);
});

engineTest('watch: containers running at start are audited once, as running; text output; SIGINT exits 0', async (t) => {
  const name = unique('watch-existing');
  removeAfter(t, docker, name);
  docker(['run', '-d', '--name', name, '--pid', 'host', TEST_IMAGE, 'sleep', '600']);
  const w = new Watch(['-H', process.env['BULKHEAD_TEST_DOCKER_HOST']!]);
  t.after(() => w.kill());
  const line = await w.until('text line for the running container', () => w.lines.find((l) => l.includes(` container ${name} (running): `)));
  assert.match(line, /^\d{4}-\d\d-\d\dT[\d:.]+Z container \S+ \(running\): \d+ findings \(\d+ \w+(?:, \d+ \w+)*\)$/);
  const at = w.lines.indexOf(line);
  assert.match(w.lines.slice(at + 1).join('\n'), /^ {2}\w+ +BH\d+ host-pid: /m);
  assert.deepEqual(await w.stop('SIGINT'), { code: 0, signal: null }, w.stderr);
});

engineTest('watch --metrics: scrapes as valid exposition text, with findings by severity, rule and container, audits and engine reachability; a destroyed container leaves it', async (t) => {
  const name = unique('watch-metrics');
  removeAfter(t, docker, name);
  const w = new Watch(['-H', process.env['BULKHEAD_TEST_DOCKER_HOST']!, '--format', 'json', '--no-existing', '--metrics', '127.0.0.1:0']);
  t.after(() => w.kill());
  const [, url] = await w.stderrMatch(/serving metrics at (http:\/\/127\.0\.0\.1:\d+\/metrics)/, 'metrics address');
  await w.stderrMatch(/following events/, 'start-up message');
  docker(['run', '-d', '--name', name, '--cap-add', 'NET_ADMIN', '--pid', 'host', TEST_IMAGE, 'sleep', '600']);
  await w.line(name, 'findings');
  // Events are handled in order: once the marker's line is out, the container's last line (create, or start) is too.
  const marker = unique('watch-metrics-marker');
  removeAfter(t, docker, marker);
  docker(['run', '-d', '--name', marker, TEST_IMAGE, 'sleep', '600']);
  await w.line(marker, 'marker');
  const line = w.of(name).at(-1)!;

  const res = await scrape(url!);
  assert.equal(res.status, 200);
  assert.equal(res.type, 'text/plain; version=0.0.4; charset=utf-8');
  const e = parseExposition(res.body);
  assert.equal(e.types.get('bulkhead_findings'), 'gauge');
  assert.equal(e.types.get('bulkhead_audits_total'), 'counter');
  assert.equal(e.types.get('bulkhead_engine_up'), 'gauge');
  for (const f of ['bulkhead_findings', 'bulkhead_audits_total', 'bulkhead_engine_up']) assert.ok(e.help.get(f), `HELP of ${f}`);
  assert.equal(value(e, 'bulkhead_engine_up'), 1);
  assert.ok(value(e, 'bulkhead_audits_total')! >= 1);
  // One series per rule of the container, each counting its findings: they add up to the line's.
  const mine = e.samples.filter((s) => s.name === 'bulkhead_findings' && s.labels['container'] === name);
  assert.equal(mine.reduce((n, s) => n + s.value, 0), line.findings.length);
  const hostPid = line.findings.find((f) => f.ruleName === 'host-pid');
  assert.ok(hostPid, 'host-pid finding');
  assert.equal(value(e, 'bulkhead_findings', { severity: hostPid.severity, rule: 'host-pid', container: name }), 1);
  assert.ok(mine.every((s) => line.findings.some((f) => f.ruleName === s.labels['rule'] && f.severity === s.labels['severity'])));
  assert.equal((await scrape(url!.replace(/\/metrics$/, '/other'))).status, 404);

  docker(['rm', '-f', name]);
  let gone = false;
  for (let i = 0; i < 80 && !gone; i++) {
    gone = !parseExposition((await scrape(url!)).body).samples.some((s) => s.labels['container'] === name);
    if (!gone) await new Promise((r) => setTimeout(r, 250));
  }
  assert.ok(gone, 'the destroyed container still has findings in the metrics');
  assert.deepEqual(await w.stop(), { code: 0, signal: null });
  // The server is closed with the watch.
  await assert.rejects(scrape(url!));
});

test('watch --metrics: a non-loopback address is refused (exit 2) unless --metrics-allow-remote; a malformed one too', () => {
  for (const addr of ['0.0.0.0:9323', '[::]:9323', '192.0.2.1:9323']) {
    const r = runCli(['watch', '-H', 'unix:///nonexistent.sock', '--metrics', addr]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /is not a loopback address.*--metrics-allow-remote/);
    assert.equal(r.stdout, '');
  }
  for (const addr of ['9323', 'example.com:9323', '127.0.0.1:70000', '[zz]:1']) {
    const r = runCli(['watch', '-H', 'unix:///nonexistent.sock', '--metrics', addr]);
    assert.equal(r.code, 2, `${addr}: ${r.stderr}`);
    assert.match(r.stderr, /^bulkhead: --metrics /);
  }
});

test('watch: an engine that cannot be reached at start is exit 3, one line', () => {
  const r = runCli(['watch', '-H', 'unix:///nonexistent.sock']);
  assert.equal(r.code, 3);
  assert.equal(r.stderr.trim().split('\n').at(-1), 'bulkhead: cannot reach the Docker engine at unix:///nonexistent.sock (from --host): no such socket');
});

/** A private engine of this test's own, which it may stop and start again. */
function ownEngine(t: TestContext): { host: string; dir: string; run: (args: string[]) => string } {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-watch-engine.'));
  t.after(() => {
    execFileSync('bash', [join(repoRoot, 'scripts', 'engine-down.sh'), dir], { stdio: 'ignore' });
  });
  const host = up(dir);
  return { host, dir, run: (args) => execFileSync('docker', ['-H', host, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim() };
}

function up(dir: string): string {
  // Its network gets an address pool of its own: the default pools run out when several engines run on one machine.
  const pool = `--default-address-pool base=10.${150 + (process.pid % 50)}.0.0/16,size=24`;
  return execFileSync('bash', [join(repoRoot, 'scripts', 'engine-up.sh'), dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DOCKERD_EXTRA_ARGS: pool } }).trim();
}

/** Stops the engine's dockerd (its containers stop with it) and waits until it is gone. */
async function stopEngine(dir: string): Promise<void> {
  const pid = Number(readFileSync(join(dir, 'docker.pid'), 'utf8'));
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    if (Date.now() > deadline) throw new Error(`dockerd ${pid} did not stop`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

engineTest('watch: the engine is stopped and started again mid-watch; containers started (and one created and removed) before the watch reconnects are reported (noted) after it is back', async (t) => {
  const engine = ownEngine(t);
  // The watch reaches the engine through a link of its own, which the test removes to keep the watch away while the engine is back.
  const watchSocket = join(engine.dir, 'watch.sock');
  symlinkSync(join(engine.dir, 'docker.sock'), watchSocket);
  const w = new Watch(['-H', `unix://${watchSocket}`, '--format', 'json', '--metrics', '127.0.0.1:0']);
  t.after(() => w.kill());
  const [, url] = await w.stderrMatch(/serving metrics at (http:\/\/127\.0\.0\.1:\d+\/metrics)/, 'metrics address');
  await w.stderrMatch(/following events/, 'start-up message');
  engine.run(['run', '-d', '--name', 'before', '--cap-add', 'SYS_ADMIN', TEST_IMAGE, 'sleep', '600']);
  await w.line('before', 'a line before the restart');
  // Events are handled in order: once the marker's line is out, every line about `before` is.
  engine.run(['run', '-d', '--name', 'marker', TEST_IMAGE, 'sleep', '600']);
  await w.line('marker', 'marker');
  const linesBefore = w.of('before').length;

  unlinkSync(watchSocket);
  await stopEngine(engine.dir);
  await w.stderrMatch(/engine unreachable, retrying in [\d.]+s/, 'a retry message');
  assert.equal(value(parseExposition((await scrape(url!)).body), 'bulkhead_engine_up'), 0);
  // The engine comes back, and containers come and go, while the watch's way to it is still gone: the watch cannot reconnect before.
  up(engine.dir);
  // Created and removed while the watch is away: its create event is replayed, and the container is gone by then.
  engine.run(['create', '--name', 'vanished', TEST_IMAGE, 'sleep', '600']);
  engine.run(['rm', 'vanished']);
  engine.run(['run', '-d', '--name', 'while-away', '--cap-add', 'NET_RAW', '--pid', 'host', TEST_IMAGE, 'sleep', '600']);
  assert.doesNotMatch(w.stderr, /reconnected/);
  symlinkSync(join(engine.dir, 'docker.sock'), watchSocket);

  // The watch comes back at its next retry: up to 36 s away once the backoff reaches 30 s (the engine may take that long to stop and start on a busy machine).
  const caught = await w.line('while-away', 'the container started around the restart', (l) => l.findings.some((f) => f.ruleName === 'host-pid'), 60_000);
  // Replayed by `since` (create, start), or found by the audit of the running containers that follows a reconnection.
  assert.ok(['create', 'start', 'running'].includes(caught.event), caught.event);
  assert.match(w.stderr, /reconnected; catching up since \d{4}-\d\d-\d\dT/);
  // The replayed events are handled after the running containers are audited again: wait for the note.
  await w.stderrMatch(/bulkhead: warning: container vanished \(create\) was removed before it could be audited; skipped/, 'the replayed create of a container removed meanwhile');
  assert.equal(w.of('vanished').length, 0);
  let upAgain: number | undefined;
  for (let i = 0; i < 80 && upAgain !== 1; i++) {
    upAgain = value(parseExposition((await scrape(url!)).body), 'bulkhead_engine_up');
    if (upAgain !== 1) await new Promise((r) => setTimeout(r, 250));
  }
  assert.equal(upAgain, 1);
  // The one line for `before` stays one: it was not replayed as new.
  assert.equal(w.of('before').length, linesBefore, w.lines.join('\n'));
  assert.deepEqual(await w.stop(), { code: 0, signal: null }, w.stderr);
});

engineTest('watch: honours the config\'s ignores, --severity and --fail-on as audit does', async (t) => {
  const name = unique('watch-policy');
  removeAfter(t, docker, name);
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-watch-config.'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const config = join(dir, 'config.yaml');
  writeFileSync(config, `ignore:\n  - id: capabilities-added\n    reason: the test says so\n    subjects: ["watch-policy-*"]\n`);
  // And metrics on every interface, allowed: the scrape goes through loopback.
  const w = new Watch(['-H', process.env['BULKHEAD_TEST_DOCKER_HOST']!, '--format', 'json', '--no-existing', '--config', config, '--severity', 'critical,high', '--fail-on', 'critical', '--metrics', '0.0.0.0:0', '--metrics-allow-remote']);
  t.after(() => w.kill());
  const [, port] = await w.stderrMatch(/serving metrics at http:\/\/0\.0\.0\.0:(\d+)\/metrics/, 'metrics address');
  await w.stderrMatch(/following events/, 'start-up message');
  docker(['run', '-d', '--name', name, '--cap-add', 'SYS_ADMIN', '--pid', 'host', TEST_IMAGE, 'sleep', '600']);
  const line = await w.line(name, 'findings');
  const rules = line.findings.map((f) => f.ruleName);
  assert.ok(rules.includes('host-pid'), rules.join());
  assert.ok(!rules.includes('capabilities-added'), 'the ignored rule is reported');
  assert.ok(line.findings.every((f) => f.severity === 'critical' || f.severity === 'high'), rules.join());
  // Counts are of every finding not ignored, shown or not: the medium ones are counted, not listed.
  assert.ok(line.summary.bySeverity['medium']! > 0);
  assert.equal(line.summary.bySeverity['critical'], line.findings.filter((f) => f.severity === 'critical').length);
  assert.equal(line.summary.failed, line.summary.bySeverity['critical']! > 0);
  const e = parseExposition((await scrape(`http://127.0.0.1:${port}/metrics`)).body);
  assert.equal(value(e, 'bulkhead_findings', { severity: 'high', rule: 'capabilities-added', container: name }), undefined);
  assert.equal(e.samples.filter((s) => s.labels['container'] === name).reduce((n, s) => n + s.value, 0), line.findings.length);
  assert.deepEqual(await w.stop(), { code: 0, signal: null });
});
