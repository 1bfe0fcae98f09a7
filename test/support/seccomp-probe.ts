import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { engineHost, fixturesDir } from './env.js';

/** `docker run` on the private engine that may fail: its exit code and both streams. */
export function dockerRun(args: readonly string[]): { code: number; stdout: string; stderr: string } {
  if (!engineHost) throw new Error('no private engine');
  const r = spawnSync('docker', ['-H', engineHost, 'run', '--rm', ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A world-readable temp folder (containers run as other users read from it), removed by the returned function. */
export function tempFolder(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Compiles test/support/seccomp-probe.c statically into DIR/probe: one exact syscall per argument, each answered "NAME ok|ERRNO". */
export function buildProbe(dir: string): string {
  const out = join(dir, 'probe');
  execFileSync('gcc', ['-static', '-O2', '-pthread', '-o', out, join(fixturesDir, 'support', 'seccomp-probe.c')], { stdio: ['ignore', 'ignore', 'pipe'] });
  return out;
}

/** "NAME RESULT" lines as a map. */
export function probeResults(stdout: string): Map<string, string> {
  return new Map(stdout.trim().split('\n').filter(Boolean).map((l) => l.split(' ') as [string, string]));
}
