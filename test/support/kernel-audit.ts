import { mkdirSync, rmSync, statSync } from 'node:fs';
import type { TestContext } from 'node:test';

/**
 * The kernel's audit rules are one set for the whole machine, and test files
 * run in parallel: a test that loads CIS watches changes what another sees
 * (the audit of / counts every watch, whatever its key). Tests that load
 * rules or start auditd hold this lock (a folder: mkdir is atomic) until
 * they end. One left by a killed run is taken over after a while.
 */
const LOCK = '/tmp/bulkhead-test-kernel-audit.lock';
const STALE_MS = 10 * 60_000;

export function holdKernelAudit(t: TestContext): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > STALE_MS) rmSync(LOCK, { recursive: true, force: true });
      } catch {
        // released meanwhile
      }
      Atomics.wait(pause, 0, 0, 100);
    }
  }
  t.after(() => rmSync(LOCK, { recursive: true, force: true }));
}
