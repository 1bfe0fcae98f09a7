import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import test, { type TestContext } from 'node:test';

/** The repository root (tests run from dist/test/...). */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const fixturesDir = join(repoRoot, 'test');
/** The CLI as it ships: the bundle that package.json's bin names. */
export const cliPath = join(repoRoot, 'dist', 'src', 'cli', 'bulkhead.mjs');

/** The private engine started by scripts/test.sh; never the user's. */
export const engineHost = process.env['BULKHEAD_TEST_DOCKER_HOST'];
export const TEST_IMAGE = 'bulkhead-test:1';
export const TEST_NETWORK = 'bulkhead-net';
const required = process.env['BULKHEAD_REQUIRE_ENGINE'] === '1';

/** A test that needs the private Docker engine: skipped loudly without one, failed when CI requires it. */
export function engineTest(name: string, fn: (t: TestContext, host: string) => Promise<void> | void): void {
  test(name, async (t) => {
    if (!engineHost) {
      if (required) throw new Error('BULKHEAD_REQUIRE_ENGINE=1 but no private Docker engine (BULKHEAD_TEST_DOCKER_HOST) is running');
      process.stderr.write(`\n*** SKIPPED (no Docker engine): ${name}\n`);
      t.skip('NO DOCKER ENGINE: run the tests as root on Debian (scripts/test.sh starts one)');
      return;
    }
    await fn(t, engineHost);
  });
}

/** Runs the docker CLI against the private engine. */
export function docker(args: readonly string[]): string {
  if (!engineHost) throw new Error('no private engine');
  return execFileSync('docker', ['-H', engineHost, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI as a user would; `wrap` is a command that runs it (e.g. setpriv … --). */
export function runCli(args: readonly string[], options: { input?: string; env?: Record<string, string | undefined>; cwd?: string; wrap?: readonly string[] } = {}): CliResult {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...options.env };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const [command, ...prefix] = [...(options.wrap ?? []), process.execPath];
  const r = spawnSync(command!, [...prefix, cliPath, ...args], {
    input: options.input ?? '',
    env: env as NodeJS.ProcessEnv,
    cwd: options.cwd ?? repoRoot,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
