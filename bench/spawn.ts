/** Child processes for the benchmarks: timed, tracked (so an interrupt stops exactly these), and a few list helpers. */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: Buffer;
  readonly stderr: string;
  readonly seconds: number;
}

/**
 * The environment the CLI is timed in: this one, less NODE_EXTRA_CA_CERTS.
 * These machines set it for every process, and node then loads that bundle
 * of certificates at every start (~50 ms here, a tenth of a live audit of
 * 200 containers); a fresh Debian machine, which the README's figures are
 * for, has no such setting. Said once in the benchmark's log.
 */
export function cliEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...extra };
  if (env['NODE_EXTRA_CA_CERTS'] !== undefined) {
    if (!saidCaCerts) log(`NODE_EXTRA_CA_CERTS is set here (${env['NODE_EXTRA_CA_CERTS']}): the CLI runs without it (node loads that file at every start; a fresh Debian has no such setting)`);
    saidCaCerts = true;
    delete env['NODE_EXTRA_CA_CERTS'];
  }
  return env;
}
let saidCaCerts = false;

/** Children in flight, so an interrupt can stop exactly the processes this bench started. */
export const children = new Set<ChildProcess>();

export function run(cmd: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; detached?: boolean; inheritStderr?: boolean } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(cmd, args, {
      cwd: repoRoot,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', options.inheritStderr ? 'inherit' : 'pipe'],
      detached: options.detached ?? false,
    });
    children.add(child);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => {
      children.delete(child);
      reject(e);
    });
    child.on('close', (code, signal) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      children.delete(child);
      resolve({ code, signal, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8'), seconds });
    });
  });
}

/** SIGTERM to every child still running (from a signal handler). */
export function stopChildren(): void {
  for (const c of children) {
    try {
      if (c.pid) process.kill(c.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
}

export function mustSucceed(what: string, r: Run): Run {
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code ?? r.signal}): ${r.stderr.trim().split('\n').slice(-5).join('\n')}`);
  return r;
}

export async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export const log = (message: string) => process.stderr.write(`bench: ${message}\n`);

/** A command's trimmed output, or 'unknown' when it cannot run (for the machine line of a report). */
export function commandOutput(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

/**
 * Container processes (`sleep 3600`, by the host PIDs the benchmark noted)
 * that outlived their engine, killed; what it did, for the report.
 */
export function endOutlived(pids: Iterable<number>, engine: string): string[] {
  const problems: string[] = [];
  for (const pid of pids) {
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (cmdline !== 'sleep\u00003600\u0000') continue;
    problems.push(`container process ${pid} (sleep 3600) outlived ${engine}; killed`);
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone meanwhile */
    }
  }
  return problems;
}

/** The machine's busy and total CPU time so far (jiffies, all cores), from /proc/stat. */
function cpuTimes(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0); // idle and iowait
  return { busy: total - idle, total };
}

/**
 * Waits until the machine is quiet before timed runs, and logs how long that
 * took (`what` says what is timed next): at least `idle` of its CPU time idle
 * over a 2 s sample, or `maxSeconds` have passed. Starting hundreds of
 * containers leaves engines and their shims busy for a while after the last
 * `docker run` returns, as does an engine's teardown, and that work would be
 * timed along with the audits.
 */
export async function quiet(what: string, idle = 0.9, maxSeconds = 90): Promise<void> {
  const started = Date.now();
  for (;;) {
    const a = cpuTimes();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const b = cpuTimes();
    const share = b.total > a.total ? 1 - (b.busy - a.busy) / (b.total - a.total) : 1;
    const seconds = (Date.now() - started) / 1000;
    if (share >= idle || seconds >= maxSeconds) {
      log(`${what}: waited ${seconds.toFixed(0)} s for the machine to quiet down: ${(share * 100).toFixed(0)}% idle`);
      return;
    }
  }
}
