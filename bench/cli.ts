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
 * Runs `bulkhead ARGS` (with the memory probe writing to `probe` when given);
 * throws unless it exits 0 with JSON on stdout. `what` names the run in the
 * caller's own errors.
 */
export async function runCliJson<T>(args: readonly string[], probe?: string): Promise<{ seconds: number; doc: T; what: string }> {
  const nodeArgs = probe ? ['--import', pathToFileURL(probePath).href, cliPath, ...args] : [cliPath, ...args];
  const r = await run(process.execPath, nodeArgs, { env: cliEnv(probe ? { BULKHEAD_BENCH_PROBE: probe } : {}) });
  const what = `bulkhead ${args.join(' ')}`;
  if (r.code !== 0) throw new Error(`${what} exited ${r.code ?? r.signal}: ${r.stderr.trim().split('\n').slice(-5).join('\n')}`);
  try {
    return { seconds: r.seconds, doc: JSON.parse(r.stdout.toString('utf8')) as T, what };
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
