/**
 * Fleet benchmark: `npm run build && npm run bench:fleet` (as root, with dockerd
 * and busybox); `npm run bench` runs it last.
 *
 * Starts 8 PRIVATE Docker engines (scripts/engine-up.sh, each under its own
 * temp dir, with its own key so its own engine ID, and its own address pool),
 * runs 50 `sleep 3600` containers on each (bounded concurrency), waits for
 * the machine to quiet down after starting them (spawn.ts quiet()), then times,
 * each the median of several runs alternated so both see the same machine,
 * the real CLI as a spawned process (node start-up included):
 * `audit --host E1 … --host E8 -f json` against `audit --host E1` alone, for
 * `--sections containers` and for a fleet audit's default sections
 * (images, containers, operations). Peak memory is the CLI's own max RSS
 * (bench/rss-probe.ts preloaded). Every run's exit code, subject count and
 * the number of distinct engines named in `subject.host` are checked.
 *
 * It reports; it fails only when an audit errors or miscounts. The engines are
 * always stopped (scripts/engine-down.sh), also on an error or Ctrl-C.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { assertBuilt, peakMemory, runCliJson, type Probe } from './cli.js';
import { commandOutput, endOutlived, log, mapLimited, median, mustSucceed, quiet, repoRoot, run, stopChildren } from './spawn.js';

const IMAGE = 'bulkhead-test:1';
const ENGINES = 8;
const CONTAINERS = 50;
const RUNS = 5;
const MEMORY_RUNS = 2;
/** Engines started at once (each compiles a tiny binary and imports the test image). */
const ENGINE_CONCURRENCY = 4;
/** `docker run`s in flight over all engines: the machine has 2 cores. */
const START_CONCURRENCY = 8;

interface Engine {
  readonly dir: string;
  host?: string;
  id?: string;
  /** Host PIDs of the containers' `sleep 3600`, to check none outlives its engine. */
  readonly pids: Set<number>;
  /** Its dockerd and the containerd that dockerd started: what answers the audit's requests. */
  daemons: number[];
}

const engines: Engine[] = [];
let cleanedUp = false;
/** Where the memory probe writes; removed on exit and on a signal. */
let probeScratch: string | undefined;

async function engineUp(n: number): Promise<Engine> {
  const dir = mkdtempSync(join(tmpdir(), `bulkhead-bench-fleet-${n}.`));
  const engine: Engine = { dir, pids: new Set(), daemons: [] };
  engines.push(engine);
  // Every engine on this machine would read /etc/docker/key.json, whose key is the engine's ID: give each its own.
  writeFileSync(join(dir, 'daemon.json'), JSON.stringify({ 'deprecated-key-path': join(dir, 'key.json') }));
  // engine-up.sh makes a network on each: a pool of its own, as the default pools run out with many engines.
  const pool = `--default-address-pool base=10.${100 + (process.pid % 10) * ENGINES + n}.0.0/16,size=24 --config-file ${join(dir, 'daemon.json')}`;
  // Its own session: a Ctrl-C at the terminal reaches this bench, which then stops the engines in order.
  const r = mustSucceed(`scripts/engine-up.sh (engine ${n + 1})`, await run('bash', [join(repoRoot, 'scripts', 'engine-up.sh'), dir], { detached: true, env: { ...process.env, DOCKERD_EXTRA_ARGS: pool } }));
  const host = r.stdout.toString('utf8').trim().split('\n').pop() ?? '';
  if (!host.startsWith('unix://') || !host.includes(dir)) throw new Error(`engine-up.sh printed an unexpected DOCKER_HOST: ${JSON.stringify(host)}`);
  engine.host = host;
  engine.id = mustSucceed('docker info', await run('docker', ['-H', host, 'info', '--format', '{{.ID}}'])).stdout.toString('utf8').trim();
  engine.daemons = daemonPids(dir);
  if (engine.daemons.length === 0) throw new Error(`engine ${n + 1}: no dockerd or containerd process names ${dir}`);
  log(`engine ${n + 1} up at ${host} (${r.seconds.toFixed(1)} s)`);
  return engine;
}

/**
 * Removes every engine's containers and stops it (all engines at once, in one
 * synchronous child, so it also runs from a signal handler), then checks
 * nothing is left: no container process, no process or mount under an
 * engine's directory, no directory.
 */
function enginesDown(): string[] {
  if (cleanedUp || engines.length === 0) return [];
  cleanedUp = true;
  const started = Date.now();
  log(`stopping ${engines.length} private engines`);
  const script = [
    'for dir in "$@"; do',
    '  (host="unix://$dir/docker.sock"',
    '   if [ -S "$dir/docker.sock" ]; then docker -H "$host" ps -aq | xargs -r -n 25 -P 2 docker -H "$host" rm -f >/dev/null 2>&1; fi',
    '   bash "$0" "$dir") &',
    'done',
    'wait',
  ].join('\n');
  const problems: string[] = [];
  const down = spawnSync('bash', ['-c', script, join(repoRoot, 'scripts', 'engine-down.sh'), ...engines.map((e) => e.dir)], { stdio: ['ignore', 'inherit', 'inherit'], timeout: 300_000 });
  if (down.status !== 0) problems.push(`stopping the engines exited ${down.status ?? down.signal}`);

  problems.push(...endOutlived(engines.flatMap((e) => [...e.pids]), 'its engine'));
  const dirs = engines.map((e) => e.dir);
  for (const p of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const cmdline = readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (Number(p) !== process.pid && dirs.some((d) => cmdline.includes(d))) problems.push(`process ${p} still running: ${cmdline.trim()}`);
    } catch {
      /* exited while we looked */
    }
  }
  const mounts = readFileSync('/proc/mounts', 'utf8').split('\n');
  for (const d of dirs) {
    for (const m of mounts.filter((l) => l.includes(` ${d}`))) problems.push(`mount left: ${m}`);
    if (existsSync(d)) problems.push(`${d} still exists`);
  }
  log(`engines stopped and removed (${((Date.now() - started) / 1000).toFixed(1)} s)${problems.length ? `; PROBLEMS: ${problems.join('; ')}` : '; nothing left behind'}`);
  return problems;
}

function onSignal(signal: NodeJS.Signals): void {
  log(`${signal}: stopping`);
  stopChildren();
  enginesDown();
  if (probeScratch) rmSync(probeScratch, { recursive: true, force: true });
  process.exit(signal === 'SIGINT' ? 130 : 143);
}

async function startContainers(): Promise<void> {
  const started = Date.now();
  const jobs = engines.flatMap((engine) => Array.from({ length: CONTAINERS }, (_, i) => ({ engine, name: `bench-${String(i + 1).padStart(2, '0')}` })));
  let done = 0;
  await mapLimited(jobs, START_CONCURRENCY, async ({ engine, name }) => {
    mustSucceed(`docker run ${name}`, await run('docker', ['-H', engine.host!, 'run', '-d', '--name', name, IMAGE, 'sleep', '3600']));
    if (++done % 100 === 0) log(`${done} of ${jobs.length} containers started`);
  });
  for (const engine of engines) {
    const ids = mustSucceed('docker ps', await run('docker', ['-H', engine.host!, 'ps', '-aq', '--no-trunc'])).stdout.toString('utf8').trim().split('\n').filter(Boolean);
    if (ids.length !== CONTAINERS) throw new Error(`${engine.host}: expected ${CONTAINERS} containers, found ${ids.length}`);
    const pids = mustSucceed('docker inspect', await run('docker', ['-H', engine.host!, 'inspect', '--format', '{{.State.Pid}}', ...ids])).stdout.toString('utf8').trim().split('\n').map(Number);
    for (const pid of pids) if (pid > 0) engine.pids.add(pid);
    if (engine.pids.size !== CONTAINERS) throw new Error(`${engine.host}: expected ${CONTAINERS} running containers, found ${engine.pids.size}`);
  }
  log(`started ${jobs.length} containers in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** The dockerd and containerd whose command lines name the engine's directory (not the containers' shims). */
function daemonPids(dir: string): number[] {
  const pids: number[] = [];
  for (const p of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const comm = readFileSync(`/proc/${p}/comm`, 'utf8').trim();
      if ((comm === 'dockerd' || comm === 'containerd') && readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(dir)) pids.push(Number(p));
    } catch {
      /* exited while we looked */
    }
  }
  return pids;
}

const CLOCK_TICKS = Number(commandOutput('getconf', ['CLK_TCK'])) || 100;

/** CPU seconds (user + system) the engines' daemons have used so far: /proc/PID/stat fields 14 and 15. */
function enginesCpu(list: readonly Engine[]): number {
  let ticks = 0;
  for (const pid of list.flatMap((e) => e.daemons)) {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // from field 3 (state) on
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks / CLOCK_TICKS;
}

interface Audit {
  readonly seconds: number;
  readonly subjects: number;
  readonly findings: number;
}

/**
 * Runs the CLI; checks it exits 0 with a JSON report of `subjects` subjects
 * whose findings name exactly `hosts` engines (none for a single-engine audit).
 */
async function audit(args: readonly string[], expect: { subjects?: number; hosts: number }, probe?: string): Promise<Audit> {
  const { seconds, doc, what } = await runCliJson<{ summary?: { subjects?: unknown; findings?: unknown }; findings?: { subject?: { host?: { id?: string } } }[] }>(args, probe ? { probe } : {});
  const subjects = doc.summary?.subjects;
  if (typeof subjects !== 'number' || (expect.subjects !== undefined && subjects !== expect.subjects)) {
    throw new Error(`${what}: summary.subjects is ${String(subjects)}, expected ${expect.subjects ?? 'a number'}`);
  }
  const hosts = new Set((doc.findings ?? []).flatMap((f) => (f.subject?.host?.id ? [f.subject.host.id] : [])));
  if (hosts.size !== expect.hosts) throw new Error(`${what}: findings name ${hosts.size} engines, expected ${expect.hosts}`);
  return { seconds, subjects, findings: Number(doc.summary?.findings) };
}

function peakRss(args: readonly string[], expect: { subjects?: number; hosts: number }, scratch: string): Promise<Probe> {
  return peakMemory(MEMORY_RUNS, scratch, (file) => audit(args, expect, file));
}

interface Side {
  readonly seconds: number;
  readonly runs: number[];
  /** The engines' own CPU seconds per run (median): the answering, on the cores the CLI runs on. */
  readonly engineCpu: number;
  readonly subjects: number;
  readonly findings: number;
  readonly probe: Probe;
}

interface Row {
  readonly label: string;
  readonly one: Side;
  readonly fleet: Side;
}

/** One engine and all eight, alternated run by run (the machine is shared: both see the same load), then their memory. */
async function compare(label: string, sections: string, subjectsPerEngine: number | undefined, scratch: string): Promise<Row> {
  const tail = ['--sections', sections, '-f', 'json', '--fail-on', 'none', '-q'];
  const oneArgs = ['audit', '--host', engines[0]!.host!, ...tail];
  const fleetArgs = ['audit', ...engines.flatMap((e) => ['--host', e.host!]), ...tail];
  const oneExpect = { subjects: subjectsPerEngine, hosts: 0 };
  const fleetExpect = { subjects: subjectsPerEngine === undefined ? undefined : subjectsPerEngine * ENGINES, hosts: ENGINES };
  log(`${label}: warm-up`);
  await audit(oneArgs, oneExpect);
  await audit(fleetArgs, fleetExpect);
  const one: Audit[] = [];
  const fleet: Audit[] = [];
  const oneCpu: number[] = [];
  const fleetCpu: number[] = [];
  const measured = async (list: readonly Engine[], cpu: number[], args: readonly string[], expect: { subjects?: number; hosts: number }) => {
    const before = enginesCpu(list);
    const a = await audit(args, expect);
    cpu.push(enginesCpu(list) - before);
    return a;
  };
  for (let i = 0; i < RUNS; i++) {
    one.push(await measured(engines.slice(0, 1), oneCpu, oneArgs, oneExpect));
    fleet.push(await measured(engines, fleetCpu, fleetArgs, fleetExpect));
    log(`${label}, run ${i + 1}/${RUNS}: one engine ${one.at(-1)!.seconds.toFixed(3)} s, ${ENGINES} engines ${fleet.at(-1)!.seconds.toFixed(3)} s (load ${loadavg()[0]!.toFixed(2)})`);
  }
  const side = (audits: Audit[], cpu: number[], probe: Probe): Side => ({ seconds: median(audits.map((a) => a.seconds)), runs: audits.map((a) => a.seconds), engineCpu: median(cpu), subjects: audits[0]!.subjects, findings: audits[0]!.findings, probe });
  const row = { label, one: side(one, oneCpu, await peakRss(oneArgs, oneExpect, scratch)), fleet: side(fleet, fleetCpu, await peakRss(fleetArgs, fleetExpect, scratch)) };
  log(`${label}: ratio ${(row.fleet.seconds / row.one.seconds).toFixed(2)}x, peak RSS ${(row.one.probe.maxRssKiB / 1024).toFixed(1)} / ${(row.fleet.probe.maxRssKiB / 1024).toFixed(1)} MB`);
  return row;
}

async function main(): Promise<void> {
  const benchStarted = Date.now();
  assertBuilt();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  const loadBefore = loadavg();
  const rows: Row[] = [];
  let serverVersion = 'unknown';
  let problems: string[] = [];
  const probeDir = (probeScratch = mkdtempSync(join(tmpdir(), 'bulkhead-bench-fleet-probe.')));
  let loadDuring: number[] = [];
  try {
    await mapLimited(Array.from({ length: ENGINES }, (_, i) => i), ENGINE_CONCURRENCY, (i) => engineUp(i));
    if (new Set(engines.map((e) => e.id)).size !== ENGINES) throw new Error(`the engines do not have distinct IDs: ${engines.map((e) => e.id).join(', ')}`);
    serverVersion = mustSucceed('docker version', await run('docker', ['-H', engines[0]!.host!, 'version', '--format', '{{.Server.Version}}'])).stdout.toString('utf8').trim();
    await startContainers();
    await quiet('after starting the containers');
    loadDuring = loadavg();
    rows.push(await compare(`${CONTAINERS} running containers per engine, --sections containers`, 'containers', CONTAINERS, probeDir));
    // A fleet audit's default: each engine's used image is a subject too.
    rows.push(await compare(`the same, --sections images,containers,operations (a fleet audit's default)`, 'images,containers,operations', undefined, probeDir));
  } finally {
    problems = enginesDown();
    rmSync(probeDir, { recursive: true, force: true });
  }
  const loadAfter = loadavg();

  const mb = (kib: number) => (kib / 1024).toFixed(1);
  // Work that cannot take less wall time than its CPU seconds spread over every core.
  const floor = (s: Side) => (s.engineCpu + (s.probe.userCpuMs + s.probe.systemCpuMs) / 1000) / availableParallelism();
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
  const lines = [
    '',
    `## bulkhead fleet benchmark: ${ENGINES} engines of ${CONTAINERS} running containers`,
    '',
    `| what | 1 engine (s) | ${ENGINES} engines (s) | ratio | peak RSS 1 / ${ENGINES} (MB) |`,
    '|---|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.label} | ${r.one.seconds.toFixed(3)} | ${r.fleet.seconds.toFixed(3)} | ${(r.fleet.seconds / r.one.seconds).toFixed(2)}x | ${mb(r.one.probe.maxRssKiB)} / ${mb(r.fleet.probe.maxRssKiB)} |`),
    '',
    `Times are wall-clock medians of ${RUNS} runs each, one engine and ${ENGINES} alternated, each a spawned process, node start-up included: ` +
      `\`node dist/src/cli/bulkhead.mjs audit --host E1 [… --host E${ENGINES}] --sections S -f json --fail-on none -q\`; exit 0, summary.subjects and the engines named in subject.host checked on every run. ` +
      `Peak RSS is the CLI's own high-water mark (VmHWM; largest of ${MEMORY_RUNS} runs, bench/rss-probe.js preloaded). Default --parallel and --concurrency.`,
    '',
    'Details:',
    ...rows.flatMap((r) => [
      `- ${r.label}: one engine ${r.one.subjects} subjects, ${r.one.findings} findings, runs [${r.one.runs.map((s) => s.toFixed(3)).join(', ')}], CPU user ${(r.one.probe.userCpuMs / 1000).toFixed(3)} s + system ${(r.one.probe.systemCpuMs / 1000).toFixed(3)} s, the engine's own ${r.one.engineCpu.toFixed(2)} s`,
      `  ${ENGINES} engines ${r.fleet.subjects} subjects, ${r.fleet.findings} findings, runs [${r.fleet.runs.map((s) => s.toFixed(3)).join(', ')}], CPU user ${(r.fleet.probe.userCpuMs / 1000).toFixed(3)} s + system ${(r.fleet.probe.systemCpuMs / 1000).toFixed(3)} s, the engines' own ${r.fleet.engineCpu.toFixed(2)} s`,
      `  on this machine the engines answer on the CLI's ${availableParallelism()} cores: the ${ENGINES} engines' CPU and the CLI's add up to ${floor(r.fleet).toFixed(2)} s of wall time at the least, ${(floor(r.fleet) / r.one.seconds).toFixed(2)}x one engine's time`,
    ]),
    '',
    `Machine: nproc ${availableParallelism()} (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), ${(totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, Node ${process.version}, ` +
      `dockerd ${serverVersion} (${commandOutput('dockerd', ['--version'])}), storage driver vfs. ` +
      `Load average (1, 5, 15 min): ${load(loadBefore)} at the start, ${load(loadDuring)} once the containers ran, ${load(loadAfter)} at the end.`,
    '',
    `Target (from the issue): ${ENGINES} engines in under 2x the time of one.`,
    '',
    `Bench took ${((Date.now() - benchStarted) / 1000).toFixed(0)} s. Engine cleanup: ${problems.length ? problems.join('; ') : 'nothing left behind'}.`,
    '',
  ];
  process.stdout.write(lines.join('\n'));
}

main().then(
  () => {
    process.exitCode = 0;
  },
  (e: unknown) => {
    enginesDown();
    process.stderr.write(`bench: FAILED: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
