/**
 * Debian's chromium driven by playwright-core, to test the HTML report in a
 * real browser (no browser download: scripts/test.sh installs chromium).
 */
import { existsSync } from 'node:fs';
import test, { type TestContext } from 'node:test';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const required = process.env['BULKHEAD_REQUIRE_ENGINE'] === '1';

/** A test that needs chromium: skipped loudly without it, failed when CI requires it (BULKHEAD_REQUIRE_ENGINE=1). */
export function browserTest(name: string, fn: (t: TestContext, browser: Browser) => Promise<void>): void {
  test(name, (t) => withBrowser(t, name, (browser) => fn(t, browser)));
}

/** Runs `fn` with chromium started (and always closed), or skips loudly / fails as browserTest says. */
export async function withBrowser(t: TestContext, name: string, fn: (browser: Browser) => Promise<void>): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    if (required) throw new Error(`BULKHEAD_REQUIRE_ENGINE=1 but there is no chromium at ${CHROMIUM} (apt-get install chromium)`);
    process.stderr.write(`\n*** SKIPPED (no chromium at ${CHROMIUM}): ${name}\n`);
    t.skip('NO CHROMIUM: apt-get install chromium (scripts/test.sh does)');
    return;
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  try {
    await fn(browser);
  } finally {
    await browser.close();
  }
}
