import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import test, { type TestContext } from 'node:test';

/** A test that needs root (namespaces, cgroups, netns): skipped loudly without, failed when CI requires every test to run. */
export function rootTest(name: string, fn: (t: TestContext) => Promise<void> | void): void {
  test(name, async (t) => {
    if (process.getuid?.() !== 0) {
      if (process.env['BULKHEAD_REQUIRE_ENGINE'] === '1') throw new Error('BULKHEAD_REQUIRE_ENGINE=1 but this test needs root');
      process.stderr.write(`\n*** SKIPPED (not root): ${name}\n`);
      t.skip('needs root');
      return;
    }
    await fn(t);
  });
}

/** Starts a long-lived command, killed (and waited for) when the test ends, pass or fail. */
export function startProcess(t: TestContext, command: string, args: readonly string[]): ChildProcess {
  const child = spawn(command, args, { stdio: 'ignore' });
  t.after(() => stopProcess(child));
  return child;
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

/** Waits (bounded) until `check` gives a value: a process has exec'd, a child has appeared. Not a timing assertion: it only waits. */
export async function waitFor<T>(what: string, check: () => T | undefined): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = check();
    if (v !== undefined) return v;
    await sleep(50);
  }
  throw new Error(`gave up waiting for ${what}`);
}

export function comm(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** The PID once it runs `name` (after exec). */
export function running(pid: number, name: string): Promise<number> {
  return waitFor(`PID ${pid} to run ${name}`, () => (comm(pid) === name ? pid : undefined));
}

/** The first child of `pid` once it runs `name` (unshare --fork's child). */
export function childRunning(pid: number, name: string): Promise<number> {
  return waitFor(`a child of ${pid} running ${name}`, () => {
    try {
      const child = Number(readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ')[0]);
      return child > 0 && comm(child) === name ? child : undefined;
    } catch {
      return undefined;
    }
  });
}
