/** The built CLI as both benchmarks run it: spawned with node, its JSON report read back, its peak memory probed. */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cliEnv, repoRoot, run } from './spawn.js';

const cliPath = join(repoRoot, 'dist', 'src', 'cli', 'bulkhead.mjs');
const probePath = join(repoRoot, 'dist', 'bench', 'rss-probe.js');

export function assertBuilt(): void {
  if (!existsSync(cliPath) || !existsSync(probePath)) throw new Error('build first: npm run build');
}

/** What bench/rss-probe.js writes of one run. */
export interface Probe {
  readonly maxRssKiB: number;
  readonly elapsedMs: number;
  readonly userCpuMs: number;
  readonly systemCpuMs: number;
}

/**
 * How the CLI is run: with the memory probe writing to `probe`; with its
 * report written to the file `report` (`-o`, a new file each run) instead of
 * stdout. A report of tens of megabytes goes to a file: read through a pipe
 * by the benchmark as it runs, the benchmark's own work on those megabytes
 * competed with the CLI for the machine's two cores (~0.35 s more for the
 * 64 MB offline report).
 */
export interface CliRun {
  readonly probe?: string;
  readonly report?: string;
}

/**
 * Runs `bulkhead ARGS`; throws unless it exits 0 with a JSON report (on
 * stdout, or in `report`). `what` names the run in the caller's own errors.
 */
export async function runCliJson<T>(args: readonly string[], { probe, report }: CliRun = {}): Promise<{ seconds: number; doc: T; what: string }> {
  if (report) rmSync(report, { force: true });
  const cliArgs = report ? [...args, '-o', report] : args;
  const nodeArgs = probe ? ['--import', pathToFileURL(probePath).href, cliPath, ...cliArgs] : [cliPath, ...cliArgs];
  const r = await run(process.execPath, nodeArgs, { env: cliEnv(probe ? { BULKHEAD_BENCH_PROBE: probe } : {}) });
  const what = `bulkhead ${cliArgs.join(' ')}`;
  if (r.code !== 0) throw new Error(`${what} exited ${r.code ?? r.signal}: ${r.stderr.trim().split('\n').slice(-5).join('\n')}`);
  try {
    return { seconds: r.seconds, doc: JSON.parse(report ? readFileSync(report, 'utf8') : r.stdout.toString('utf8')) as T, what };
  } catch (e) {
    throw new Error(`${what}: output is not JSON (${(e as Error).message})`);
  }
}

/** The run of `runs` with the largest peak RSS: `once(file)` runs the CLI with the probe writing to `file`. */
export async function peakMemory(runs: number, scratch: string, once: (probeFile: string) => Promise<unknown>): Promise<Probe> {
  const probes: Probe[] = [];
  for (let i = 0; i < runs; i++) {
    const file = join(scratch, `probe-${Date.now()}-${i}.json`);
    await once(file);
    probes.push(JSON.parse(readFileSync(file, 'utf8')) as Probe);
    rmSync(file, { force: true });
  }
  return probes.reduce((a, b) => (b.maxRssKiB > a.maxRssKiB ? b : a));
}
