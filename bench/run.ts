/**
 * Benchmark: `npm run build && npm run bench` (as root, with dockerd and busybox).
 *
 * Starts a PRIVATE Docker engine (scripts/engine-up.sh under a fresh temp dir),
 * runs 100 then 200 `sleep 3600` containers and, once the machine is quiet
 * again (spawn.ts quiet()), times, each the median of 5:
 * a bare `docker inspect <all ids>` (the baseline) and the real CLI
 * `bulkhead audit -H <engine> --sections containers -f json --fail-on none -q`, node start-up
 * included. Then, with the engine stopped and the machine quiet again, times
 * the offline audit of 10,000 `docker inspect` documents built from the
 * recorded fixtures, and the scan of a generated tree (median of 3 each).
 * Peak memory is the CLI's own max RSS, written at exit by bench/rss-probe.ts,
 * preloaded with --import (no extra package).
 *
 * `npm run bench -- --offline` runs only the offline parts (no engine, no root).
 * `npm run bench -- --fleet` then runs the fleet benchmark (bench/fleet.ts:
 * 8 engines of 50 containers) and appends its table; `npm run bench:fleet`
 * runs that alone. Not by default: starting and removing 400 containers on vfs
 * took ~8 of its 13 minutes on the 2-core machines.
 *
 * It reports; it fails only when an audit errors or counts the wrong number of
 * subjects. The engine is always stopped (scripts/engine-down.sh), also on an
 * error or Ctrl-C.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, availableParallelism, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { buildScanTree, SCAN_TREE } from './scan-tree.js';
import { assertBuilt, peakMemory, runCliJson, type CliRun, type Probe } from './cli.js';
import { commandOutput, endOutlived, log, mapLimited, median, mustSucceed, quiet, repoRoot, run, stopChildren } from './spawn.js';

const IMAGE = 'bulkhead-test:1';
const LIVE_STEPS = [100, 200] as const;
const LIVE_RUNS = 5;
const OFFLINE_DOCS = 10_000;
const OFFLINE_RUNS = 3;
const MEMORY_RUNS = 3;
const HOST_RUNS = 3;
/** Images of the whole-host audit: the test image and this many commits of it. */
const HOST_IMAGES = 49;
const START_CONCURRENCY = 8;

// ---------------------------------------------------------------- the private engine

interface Engine {
  readonly dir: string;
  host?: string;
  /** Host PIDs of the containers' `sleep 3600`, to check none outlives the engine. */
  readonly pids: Set<number>;
}

let engine: Engine | undefined;
let cleanedUp = false;

async function engineUp(): Promise<Engine> {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-bench.'));
  engine = { dir, pids: new Set() };
  log(`starting a private Docker engine under ${dir}`);
  // Its own session: a Ctrl-C at the terminal reaches this bench, which then stops the engine in order.
  const r = mustSucceed('scripts/engine-up.sh', await run('bash', [join(repoRoot, 'scripts', 'engine-up.sh'), dir], { detached: true }));
  const host = r.stdout.toString('utf8').trim().split('\n').pop() ?? '';
  if (!host.startsWith('unix://') || !host.includes(dir)) throw new Error(`engine-up.sh printed an unexpected DOCKER_HOST: ${JSON.stringify(host)}`);
  engine.host = host;
  log(`engine up at ${host} (${r.seconds.toFixed(1)} s)`);
  return engine;
}

/**
 * Removes the containers (SIGKILL, so no 10 s stop timeout each), stops the
 * engine with scripts/engine-down.sh and checks nothing of it is left:
 * no process mentioning its directory, no mount under it, no container process.
 * Synchronous, so it also runs from a signal handler.
 */
function engineDown(): string[] {
  if (cleanedUp || !engine) return [];
  cleanedUp = true;
  const { dir, host, pids } = engine;
  const problems: string[] = [];
  log(`stopping the private engine under ${dir}`);
  const started = Date.now();
  if (host) {
    const rm = spawnSync('bash', ['-c', 'docker -H "$1" ps -aq | xargs -r -n 25 -P 8 docker -H "$1" rm -f >/dev/null', 'rm', host], {
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 180_000,
      encoding: 'utf8',
    });
    if (rm.status !== 0) log(`removing the containers: ${rm.error?.message ?? rm.stderr.trim().split('\n').pop() ?? `exit ${rm.status}`} (engine-down.sh will stop it anyway)`);
  }
  const down = spawnSync('bash', [join(repoRoot, 'scripts', 'engine-down.sh'), dir], { stdio: ['ignore', 'inherit', 'inherit'], timeout: 180_000 });
  if (down.status !== 0) problems.push(`engine-down.sh exited ${down.status ?? down.signal}`);

  // A container process that outlived its engine (dockerd killed before it stopped them): end it, by its PID.
  problems.push(...endOutlived(pids, 'the engine'));
  for (const p of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const cmdline = readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmdline.includes(dir) && Number(p) !== process.pid) problems.push(`process ${p} still running: ${cmdline.trim()}`);
    } catch {
      /* exited while we looked */
    }
  }
  const mounts = readFileSync('/proc/mounts', 'utf8').split('\n').filter((l) => l.includes(` ${dir}`));
  for (const m of mounts) problems.push(`mount left: ${m}`);
  if (existsSync(dir)) problems.push(`${dir} still exists`);
  log(`engine stopped and removed (${((Date.now() - started) / 1000).toFixed(1)} s)${problems.length ? `; PROBLEMS: ${problems.join('; ')}` : '; nothing left behind'}`);
  return problems;
}

function onSignal(signal: NodeJS.Signals): void {
  log(`${signal}: stopping`);
  stopChildren();
  engineDown();
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
  process.exit(signal === 'SIGINT' ? 130 : 143);
}

// ---------------------------------------------------------------- measuring

const tempDirs: string[] = [];

interface Audit {
  readonly seconds: number;
  readonly subjects: number;
  readonly findings: number;
}

/** Runs the CLI, checks it exits 0 with a JSON report of exactly `expected` subjects (any number when undefined). */
async function audit(args: readonly string[], expected: number | undefined, how: CliRun = {}): Promise<Audit> {
  const { seconds, doc, what } = await runCliJson<{ summary?: { subjects?: unknown; findings?: unknown } }>(args, how);
  if (typeof doc.summary?.subjects !== 'number' || (expected !== undefined && doc.summary.subjects !== expected)) {
    throw new Error(`${what}: summary.subjects is ${String(doc.summary?.subjects)}, expected ${expected ?? 'a number'}`);
  }
  return { seconds, subjects: doc.summary.subjects, findings: Number(doc.summary.findings) };
}

/** Peak RSS of the real CLI: the largest of a few runs with bench/rss-probe.js preloaded. */
function peakRss(args: readonly string[], expected: number | undefined, scratch: string, report?: string): Promise<Probe> {
  return peakMemory(MEMORY_RUNS, scratch, (probe) => audit(args, expected, { probe, ...(report ? { report } : {}) }));
}

interface Row {
  readonly label: string;
  readonly baseline?: number;
  readonly bulkhead: number;
  readonly probe: Probe;
  readonly findings: number;
  readonly runs: string;
}

async function startContainers(host: string, from: number, to: number): Promise<void> {
  const started = Date.now();
  const names = Array.from({ length: to - from }, (_, i) => `bench-${String(from + i + 1).padStart(3, '0')}`);
  await mapLimited(names, START_CONCURRENCY, async (name) => {
    mustSucceed(`docker run ${name}`, await run('docker', ['-H', host, 'run', '-d', '--name', name, IMAGE, 'sleep', '3600']));
  });
  log(`started containers ${from + 1}..${to} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function measureLive(eng: Engine, count: number): Promise<Row> {
  const host = eng.host!;
  const ids = mustSucceed('docker ps', await run('docker', ['-H', host, 'ps', '-q', '--no-trunc'])).stdout.toString('utf8').trim().split('\n').filter(Boolean);
  if (ids.length !== count) throw new Error(`expected ${count} running containers, docker ps shows ${ids.length}`);
  const all = mustSucceed('docker ps -a', await run('docker', ['-H', host, 'ps', '-aq'])).stdout.toString('utf8').trim().split('\n').filter(Boolean);
  if (all.length !== count) throw new Error(`expected no other containers on the private engine, found ${all.length - count}`);

  const inspect = async () => {
    const r = mustSucceed('docker inspect', await run('docker', ['-H', host, 'inspect', ...ids]));
    const docs = JSON.parse(r.stdout.toString('utf8')) as { State?: { Pid?: number } }[];
    if (docs.length !== count) throw new Error(`docker inspect returned ${docs.length} documents, expected ${count}`);
    for (const d of docs) if (d.State?.Pid) eng.pids.add(d.State.Pid);
    return r.seconds;
  };
  // The containers section alone: what `docker inspect` of the same containers is a fair baseline for.
  const args = ['audit', '-H', host, '--sections', 'containers', '-f', 'json', '--fail-on', 'none', '-q'];

  log(`${count} containers: warm-up`);
  await inspect();
  await audit(args, count);
  const base: number[] = [];
  const ours: number[] = [];
  let findings = 0;
  for (let i = 0; i < LIVE_RUNS; i++) {
    base.push(await inspect());
    const a = await audit(args, count);
    ours.push(a.seconds);
    findings = a.findings;
    log(`${count} containers, run ${i + 1}/${LIVE_RUNS}: docker inspect ${base.at(-1)!.toFixed(3)} s, bulkhead audit ${a.seconds.toFixed(3)} s`);
  }
  const probe = await peakRss(args, count, eng.dir);
  log(`${count} containers: peak RSS ${(probe.maxRssKiB / 1024).toFixed(1)} MB`);
  return {
    label: String(count),
    baseline: median(base),
    bulkhead: median(ours),
    probe,
    findings,
    runs: `inspect [${base.map((s) => s.toFixed(3)).join(', ')}], audit [${ours.map((s) => s.toFixed(3)).join(', ')}]`,
  };
}

/** 10,000 `docker inspect` documents cycled from the recorded fixtures, each with its own Id and Name. */
function buildOfflineInput(file: string): { fixtures: number; bytes: number } {
  const rulesDir = join(repoRoot, 'test', 'rules');
  const fixtures: Record<string, unknown>[] = [];
  for (const rule of readdirSync(rulesDir).sort()) {
    let names: string[];
    try {
      names = readdirSync(join(rulesDir, rule)).filter((n) => n.endsWith('.inspect.json')).sort();
    } catch {
      continue;
    }
    for (const n of names) {
      const parsed = JSON.parse(readFileSync(join(rulesDir, rule, n), 'utf8')) as unknown;
      if (!Array.isArray(parsed) || parsed.length !== 1) throw new Error(`test/rules/${rule}/${n}: expected a JSON array of one container`);
      fixtures.push(parsed[0] as Record<string, unknown>);
    }
  }
  if (fixtures.length === 0) throw new Error('no fixtures in test/rules/*/*.inspect.json');
  const docs = Array.from({ length: OFFLINE_DOCS }, (_, i) => ({
    ...fixtures[i % fixtures.length]!,
    Id: createHash('sha256').update(`bulkhead-bench-${i}`).digest('hex'),
    Name: `/bench-offline-${String(i + 1).padStart(5, '0')}`,
  }));
  // Indented as `docker inspect` prints it.
  const text = JSON.stringify(docs, null, 4) + '\n';
  writeFileSync(file, text);
  return { fixtures: fixtures.length, bytes: Buffer.byteLength(text) };
}

/** Images for the whole-host audit: `docker commit` of a running container, each with a label of its own. */
async function makeImages(host: string, count: number): Promise<void> {
  const started = Date.now();
  await mapLimited(Array.from({ length: count }, (_, i) => i), START_CONCURRENCY, async (i) => {
    mustSucceed(`docker commit ${i}`, await run('docker', ['-H', host, 'commit', '-c', `LABEL bench.image=${i}`, 'bench-001', `bench-image:${i}`]));
  });
  log(`made ${count} images in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * The whole audit of this host and the private engine (every section, every
 * image with --all-images, so each image's layers are streamed for set-id
 * files), then each section alone: the issue's "200 containers and 50 images".
 */
async function measureHost(eng: Engine, containers: number, images: number): Promise<{ row: Row; sections: { section: string; seconds: number; subjects: number }[] }> {
  const base = ['audit', '-H', eng.host!, '--all-images', '-f', 'json', '--fail-on', 'none', '-q'];
  await audit(base, undefined); // warm-up
  const times: number[] = [];
  let findings = 0;
  let subjects = 0;
  for (let i = 0; i < HOST_RUNS; i++) {
    const a = await audit(base, undefined);
    times.push(a.seconds);
    findings = a.findings;
    subjects = a.subjects;
    log(`whole host (${containers} containers, ${images} images), run ${i + 1}/${HOST_RUNS}: ${a.seconds.toFixed(3)} s`);
  }
  const sections: { section: string; seconds: number; subjects: number }[] = [];
  for (const section of ['host', 'daemon', 'files', 'images', 'containers', 'operations']) {
    const runs: number[] = [];
    let n = 0;
    for (let i = 0; i < HOST_RUNS; i++) {
      const a = await audit([...base, '--sections', section], undefined);
      runs.push(a.seconds);
      n = a.subjects;
    }
    sections.push({ section, seconds: median(runs), subjects: n });
    log(`section ${section}: ${median(runs).toFixed(3)} s (${n} subjects)`);
  }
  const probe = await peakRss(base, subjects, eng.dir);
  return {
    row: { label: `whole host: ${containers} containers, ${images} images (--all-images)`, bulkhead: median(times), probe, findings, runs: `audit [${times.map((s) => s.toFixed(3)).join(', ')}]` },
    sections,
  };
}

async function measureOffline(): Promise<{ row: Row; fixtures: number; bytes: number }> {
  const scratch = mkdtempSync(join(tmpdir(), 'bulkhead-bench-offline.'));
  tempDirs.push(scratch);
  const file = join(scratch, 'inspect-10000.json');
  const { fixtures, bytes } = buildOfflineInput(file);
  log(`offline: ${OFFLINE_DOCS} documents from ${fixtures} fixtures, ${(bytes / 1024 / 1024).toFixed(1)} MB`);
  const args = ['audit', '--inspect', file, '-f', 'json', '--fail-on', 'none', '-q'];
  const report = join(scratch, 'report.json');
  await audit(args, OFFLINE_DOCS, { report }); // warm-up (page cache)
  await quiet('offline');
  const times: number[] = [];
  let findings = 0;
  for (let i = 0; i < OFFLINE_RUNS; i++) {
    const a = await audit(args, OFFLINE_DOCS, { report });
    times.push(a.seconds);
    findings = a.findings;
    log(`offline run ${i + 1}/${OFFLINE_RUNS}: ${a.seconds.toFixed(3)} s`);
  }
  const probe = await peakRss(args, OFFLINE_DOCS, scratch, report);
  log(`offline: peak RSS ${(probe.maxRssKiB / 1024).toFixed(1)} MB`);
  return { row: { label: `${OFFLINE_DOCS.toLocaleString('en-US')} offline (--inspect)`, bulkhead: median(times), probe, findings, runs: `audit [${times.map((s) => s.toFixed(3)).join(', ')}]` }, fixtures, bytes };
}

async function measureScan(): Promise<{ row: Row; files: number; templates: number }> {
  const scratch = mkdtempSync(join(tmpdir(), 'bulkhead-bench-scan.'));
  tempDirs.push(scratch);
  const { files, subjects, templates } = buildScanTree(repoRoot, scratch);
  log(`scan: ${files} files from ${templates} fixtures`);
  const args = ['scan', scratch, '-f', 'json', '--fail-on', 'none', '-q'];
  // Not in the scanned folder: the next run would scan it.
  const out = mkdtempSync(join(tmpdir(), 'bulkhead-bench-scan-report.'));
  tempDirs.push(out);
  const report = join(out, 'report.json');
  await audit(args, subjects, { report }); // warm-up (page cache)
  await quiet('scan');
  const times: number[] = [];
  let findings = 0;
  for (let i = 0; i < OFFLINE_RUNS; i++) {
    const a = await audit(args, subjects, { report });
    times.push(a.seconds);
    findings = a.findings;
    log(`scan run ${i + 1}/${OFFLINE_RUNS}: ${a.seconds.toFixed(3)} s (${Math.round(files / a.seconds)} files/s)`);
  }
  const probe = await peakRss(args, subjects, scratch, report);
  const label = `scan of ${files.toLocaleString('en-US')} files (${Math.round(files / median(times))} files/s)`;
  return { row: { label, bulkhead: median(times), probe, findings, runs: `scan [${times.map((s) => s.toFixed(3)).join(', ')}]` }, files, templates };
}

// ---------------------------------------------------------------- main

async function main(): Promise<number> {
  const benchStarted = Date.now();
  assertBuilt();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);

  const rows: Row[] = [];
  let serverVersion = 'unknown';
  let problems: string[] = [];
  let hostSections: { section: string; seconds: number; subjects: number }[] = [];
  // `npm run bench -- --offline` skips the engine (quick, and needs no root).
  const offlineOnly = process.argv.includes('--offline');
  if (!offlineOnly) try {
    const eng = await engineUp();
    serverVersion = mustSucceed('docker version', await run('docker', ['-H', eng.host!, 'version', '--format', '{{.Server.Version}}'])).stdout.toString('utf8').trim();
    let running = 0;
    for (const step of LIVE_STEPS) {
      await startContainers(eng.host!, running, step);
      running = step;
      await quiet(`${step} containers`);
      rows.push(await measureLive(eng, step));
    }
    await makeImages(eng.host!, HOST_IMAGES);
    const host = await measureHost(eng, running, HOST_IMAGES + 1);
    rows.push(host.row);
    hostSections = host.sections;
  } finally {
    problems = engineDown();
  }
  else serverVersion = 'not run (--offline)';
  const offline = await measureOffline();
  rows.push(offline.row);
  const scanned = await measureScan();
  rows.push(scanned.row);
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });

  const elapsed = (Date.now() - benchStarted) / 1000;
  const mb = (kib: number) => (kib / 1024).toFixed(1);
  const lines = [
    '',
    '## bulkhead benchmark',
    '',
    '| containers | bare docker inspect (s) | bulkhead audit (s) | ratio | peak RSS (MB) |',
    '|---|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.label} | ${r.baseline === undefined ? '—' : r.baseline.toFixed(3)} | ${r.bulkhead.toFixed(3)} | ${r.baseline === undefined ? '—' : `${(r.bulkhead / r.baseline).toFixed(2)}x`} | ${mb(r.probe.maxRssKiB)} |`,
    ),
    '',
    `Times are wall-clock medians (live: ${LIVE_RUNS} runs, offline: ${OFFLINE_RUNS}), each a spawned process, node start-up included; ` +
      `the audit is \`node dist/src/cli/bulkhead.mjs audit … -f json --fail-on none -q\`, exit 0 and summary.subjects checked on every run; the offline audit and the scan write their reports (tens of MB) to a new file with \`-o\`, the live audits to stdout. ` +
      `Peak RSS is the CLI's own high-water mark (VmHWM; largest of ${MEMORY_RUNS} runs, bench/rss-probe.js preloaded).`,
    '',
    'Details:',
    ...rows.map(
      (r) =>
        `- ${r.label}: ${r.findings} findings; in-process ${(r.probe.elapsedMs / 1000).toFixed(3)} s, CPU user ${(r.probe.userCpuMs / 1000).toFixed(3)} s + system ${(r.probe.systemCpuMs / 1000).toFixed(3)} s (memory run); runs: ${r.runs}`,
    ),
    ...(hostSections.length ? [`- whole host, each section alone (median of ${HOST_RUNS}): ${hostSections.map((s) => `${s.section} ${s.seconds.toFixed(3)} s (${s.subjects} subjects)`).join(', ')}`] : []),
    `- scan input: ${SCAN_TREE.dockerfile} Dockerfiles, ${SCAN_TREE.compose} compose files, ${SCAN_TREE.kubernetes} Kubernetes files, ${SCAN_TREE.ecs} ECS task definitions, copies of ${scanned.templates} recorded fixtures, one folder each`,
    `- offline input: ${OFFLINE_DOCS} documents cycled from ${offline.fixtures} recorded fixtures (test/rules/*/*.inspect.json), ${(offline.bytes / 1024 / 1024).toFixed(1)} MB`,
    '',
    `Machine: nproc ${availableParallelism()} (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), ${(totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, Node ${process.version}, ` +
      `dockerd ${serverVersion} (${commandOutput('dockerd', ['--version'])}), storage driver vfs.`,
    '',
    'Targets (from the issue), for reference:',
    '- live audit within 2x of the bare `docker inspect` at 200 containers',
    '- the whole audit of a host with 200 containers and 50 images under 3 s',
    '- 10,000 containers offline under 2 s',
    '- peak memory under 300 MB',
    '- scan: at least 1,000 files per second',
    '- peer: docker-bench-security needs ~0.93 s per running container on these machines (about 187 s for 202 containers; ../shared/docs/reference.md)',
    '',
    `Bench took ${elapsed.toFixed(0)} s. Engine cleanup: ${problems.length ? problems.join('; ') : 'nothing left behind'}.`,
    '',
  ];
  process.stdout.write(lines.join('\n'));
  // A process of its own: it starts and always stops its own engines (also on Ctrl-C, which reaches it too).
  if (!offlineOnly && process.argv.includes('--fleet')) {
    log('fleet benchmark (bench/fleet.ts)');
    const fleet = await run(process.execPath, [join(repoRoot, 'dist', 'bench', 'fleet.js')], { inheritStderr: true });
    if (fleet.code !== 0) throw new Error(`the fleet benchmark failed (exit ${fleet.code ?? fleet.signal})`);
    process.stdout.write(fleet.stdout);
  }
  // A leftover is reported loudly above; the bench fails only when an audit errors or miscounts.
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    engineDown();
    for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
    process.stderr.write(`bench: FAILED: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
