/**
 * Renders the HTML report of test/scan/real-world (compose, Dockerfiles,
 * Kubernetes, ECS) with the built CLI and saves the top of the page, as
 * Debian's chromium shows it, to docs/images/html-report.png for the README.
 * `npm run build && node dist/scripts/screenshot-report.js`
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(fileURLToPath(import.meta.url), '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'bulkhead-screenshot-'));
const html = join(dir, 'report.html');
const out = join(root, 'docs', 'images', 'html-report.png');
try {
  execFileSync(process.execPath, [join(root, 'dist', 'src', 'cli', 'bulkhead.mjs'), 'scan', '.', '-f', 'html', '-o', html, '--fail-on', 'high', '-q'], {
    cwd: join(root, 'test', 'scan', 'real-world'),
    stdio: 'inherit',
  });
} catch (e) {
  if ((e as { status?: number }).status !== 1) throw e; // 1: findings at or above the gate, as wanted for the picture
}
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1100 }, colorScheme: 'light' });
  await page.goto(pathToFileURL(html).href);
  await page.screenshot({ path: out });
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}
console.log(`wrote ${out}`);
