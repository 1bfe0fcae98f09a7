/** The real apparmor_parser as the tests' oracle: compiles a profile offline, as the kernel would get it. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import test, { type TestContext } from 'node:test';

export const PARSER = ['/usr/sbin/apparmor_parser', '/sbin/apparmor_parser'].find((p) => existsSync(p));
const ABI = '/etc/apparmor.d/abi/3.0';
const required = process.env['BULKHEAD_REQUIRE_ENGINE'] === '1';

/** A test that needs apparmor_parser: skipped loudly without it, failed when CI requires every tool (scripts/test.sh installs it as root). */
export function parserTest(name: string, fn: (t: TestContext) => Promise<void> | void): void {
  test(name, async (t) => {
    if (!PARSER || !existsSync(ABI)) {
      if (required) throw new Error(`BULKHEAD_REQUIRE_ENGINE=1 but apparmor_parser or ${ABI} is missing (install the apparmor package)`);
      process.stderr.write(`\n*** SKIPPED (no apparmor_parser): ${name}\n`);
      t.skip('NO apparmor_parser: install the apparmor package (scripts/test.sh does, as root)');
      return;
    }
    await fn(t);
  });
}

/** Compiles the profile text offline with the real parser: its exit status and what it said. */
export function compile(profile: string): { code: number; said: string } {
  const r = spawnSync(PARSER!, ['-QK', '-M', ABI, '-o', '/dev/null'], { input: profile, encoding: 'utf8' });
  return { code: r.status ?? -1, said: `${r.stdout}${r.stderr}`.trim() };
}
