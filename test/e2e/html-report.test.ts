/**
 * --format html in a real browser (Debian's chromium via playwright-core):
 * the page renders with no console message and loads nothing, names from
 * files stay text and run nothing, the summary agrees with the JSON report,
 * and the filters hide and show rows.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { browserTest, withBrowser } from '../support/browser.js';
import { docker, engineTest, fixturesDir, runCli, TEST_IMAGE } from '../support/env.js';

const EVIL_DIR = '<img src=x onerror=alert(1)>';
const EVIL_SERVICE = '<script>alert(1)</script>';

interface JsonReport {
  findings: { ruleId: string; severity: string; subject: { name: string } }[];
  summary: { bySeverity: Record<string, number>; findings: number };
}

/** A folder of risky compose files and Dockerfiles, one of them in a folder named like markup. */
function riskyFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-html-'));
  const rules = join(fixturesDir, 'rules');
  copyFileSync(join(rules, 'privileged-container', 'bad.compose.yaml'), join(dir, 'compose.yaml'));
  mkdirSync(join(dir, 'monitoring'));
  copyFileSync(join(rules, 'docker-socket-mounted', 'bad.compose.yaml'), join(dir, 'monitoring', 'compose.yaml'));
  mkdirSync(join(dir, EVIL_DIR));
  copyFileSync(join(rules, 'pipe-to-shell', 'bad.Dockerfile'), join(dir, EVIL_DIR, 'Dockerfile'));
  mkdirSync(join(dir, 'edge'));
  writeFileSync(
    join(dir, 'edge', 'compose.yaml'),
    `services:\n  "${EVIL_SERVICE}":\n    image: nginx\n    privileged: true\n  # bulkhead ignore=no-memory-limit set by the platform\n  api:\n    image: api\n    user: "1000"\n`,
  );
  return dir;
}

/** Scans `dir` once into both an HTML and a JSON report. */
function scan(dir: string, extra: string[] = []): { html: string; json: JsonReport } {
  const html = join(dir, 'report.html');
  const json = join(dir, 'report.json');
  const r = runCli(['scan', '.', '-f', 'html', '-o', html, '-f', 'json', '-o', json, '--fail-on', 'none', '-q', ...extra], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  return { html, json: JSON.parse(readFileSync(json, 'utf8')) as JsonReport };
}

interface Opened {
  page: Page;
  /** Console messages, page errors, dialogs and requests, as they came. */
  events: { console: string[]; errors: string[]; dialogs: string[]; requests: string[] };
}

async function open(browser: Browser, file: string): Promise<Opened> {
  const page = await browser.newPage();
  const events: Opened['events'] = { console: [], errors: [], dialogs: [], requests: [] };
  page.on('console', (m) => events.console.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => events.errors.push(e.message));
  page.on('dialog', (d) => {
    events.dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('request', (r) => events.requests.push(r.url()));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, events };
}

const severityBox = (page: Page, s: string) => page.locator(`#filters input[name="severity"][value="${s}"]`);
const visibleRows = (page: Page) => page.locator('main tr.finding:visible').count();

browserTest('scan: renders with no console message and no request but the file; hostile names are text and run nothing; the summary is the JSON report\'s', async (_t, browser) => {
  const dir = riskyFolder();
  const { html, json } = scan(dir, ['--show-suppressed']);
  const { page, events } = await open(browser, html);
  await page.waitForTimeout(300); // let an onerror or a script from a name have its chance

  assert.deepEqual(events.console, [], 'no console messages (a CSP violation would be one)');
  assert.deepEqual(events.errors, []);
  assert.deepEqual(events.dialogs, [], 'no alert ran');
  assert.deepEqual(events.requests, [pathToFileURL(html).href], 'nothing loaded but the page');

  assert.equal(await page.locator('img').count(), 0, 'no <img> came from the folder name');
  assert.equal(await page.locator('script').count(), 1, 'the page\'s own script only');
  const groupNames = await page.locator('.group-name').allTextContents();
  assert.ok(groupNames.includes(`${EVIL_DIR}/Dockerfile`), groupNames.join(' | '));
  const subjects = await page.locator('.subject-name').allTextContents();
  assert.ok(subjects.includes(EVIL_SERVICE), 'the service name is shown as text');

  for (const [severity, n] of Object.entries(json.summary.bySeverity)) {
    assert.equal(await page.locator(`[data-count="${severity}"]`).textContent(), String(n), severity);
  }
  assert.equal(await visibleRows(page), json.findings.length + 1, 'every finding, and the suppressed one, is a row');
  assert.equal(await page.locator('#shown').textContent(), String(json.findings.length));
  assert.equal(await page.locator('svg.chart rect').count(), 5);

  // A finding carries its position, fix and references linked to the rule's docs; the rule's docs are in the page.
  const privileged = page.locator('main tr.finding[data-rule="BH001"]', { hasText: EVIL_SERVICE });
  assert.match((await privileged.textContent())!, /edge\/compose\.yaml:4:5services\["<script>alert\(1\)<\/script>"\]\.privileged/);
  assert.match((await privileged.textContent())!, /Fix: /);
  const links = await privileged.locator('a').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
  assert.ok(links.includes('https://github.com/bulkhead-security/bulkhead/blob/main/docs/rules/privileged-container.md'), links.join(' '));
  assert.match((await page.locator('#rule-BH001').textContent())!, /Why.+Fix.+References.*CIS-5\.5/s);
  assert.equal(await page.locator('#rule-BH001').evaluate((d) => (d as HTMLDetailsElement).open), false);
  await privileged.locator('a[href="#rule-BH001"]').click();
  assert.equal(await page.locator('#rule-BH001').evaluate((d) => (d as HTMLDetailsElement).open), true, 'the rule link opens its docs');

  const suppressed = page.locator('.suppressed-group tr.finding');
  assert.equal(await suppressed.count(), 1);
  assert.match((await suppressed.textContent())!, /suppressed \(inline\).*set by the platform/);
});

browserTest('filters: severity checkboxes, the rule selector and the search hide and show rows, and the counts follow', async (_t, browser) => {
  const dir = riskyFolder();
  const { html, json } = scan(dir);
  const { page, events } = await open(browser, html);
  const total = json.findings.length;
  const of = (pred: (f: JsonReport['findings'][number]) => boolean) => json.findings.filter(pred).length;
  assert.ok(of((f) => f.severity === 'critical') > 0 && of((f) => f.severity === 'medium') > 0);
  assert.equal(await visibleRows(page), total);

  await severityBox(page, 'critical').uncheck();
  assert.equal(await visibleRows(page), total - of((f) => f.severity === 'critical'));
  assert.equal(await page.locator('main tr.finding[data-severity="critical"]:visible').count(), 0);
  await severityBox(page, 'medium').uncheck();
  const left = total - of((f) => f.severity === 'critical' || f.severity === 'medium');
  assert.equal(await visibleRows(page), left);
  assert.equal(await page.locator('#shown').textContent(), String(left));
  await severityBox(page, 'critical').check();
  await severityBox(page, 'medium').check();
  assert.equal(await visibleRows(page), total);

  await page.locator('select[name="rule"]').selectOption('BH009');
  const sockets = of((f) => f.ruleId === 'BH009');
  assert.ok(sockets > 0, 'the fixtures mount the docker socket');
  assert.equal(await visibleRows(page), sockets);
  assert.equal(await page.locator('main tr.finding:visible:not([data-rule="BH009"])').count(), 0);
  // A group with nothing left to show is hidden, the others count what they show.
  assert.equal(await page.locator('details.group:visible').count(), 1);
  assert.equal(await page.locator('details.group:visible .visible').textContent(), String(sockets));

  await page.locator('select[name="rule"]').selectOption('');
  await page.locator('input[name="q"]').fill(EVIL_DIR);
  await page.waitForFunction((n) => document.getElementById('shown')?.textContent !== String(n), total);
  const evilRows = await page.locator('main tr.finding:visible').allTextContents();
  assert.equal(evilRows.length, of((f) => JSON.stringify(f).includes(EVIL_DIR)));
  assert.ok(evilRows.length > 0 && evilRows.length < total, String(evilRows.length));
  for (const row of evilRows) assert.ok(row.includes(EVIL_DIR), row);
  assert.equal(await page.locator('#shown').textContent(), String(evilRows.length));
  assert.deepEqual(events.console, []);
  assert.deepEqual(events.errors, []);
});

browserTest('audit --inspect on a recorded container renders, grouped by container', async (_t, browser) => {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-html-'));
  const html = join(dir, 'report.html');
  const r = runCli(['audit', '--inspect', join(fixturesDir, 'rules', 'privileged-container', 'bad.inspect.json'), '-f', 'html', '-o', html, '--fail-on', 'high', '-q']);
  assert.equal(r.code, 1, r.stderr);
  const { page, events } = await open(browser, html);
  assert.deepEqual(events.console, []);
  assert.deepEqual(events.errors, []);
  assert.ok(await page.locator('details.group small', { hasText: '(container)' }).count() >= 1);
  assert.equal(await page.locator('main tr.finding[data-rule="BH001"]:visible').count(), 1);
  assert.equal(await page.locator('[data-failed]').textContent(), 'FAILED');
});

engineTest('live audit: a container whose mount target is markup renders it as text, and nothing runs', async (t, host) => {
  const name = `e2e-html-${process.pid}`;
  docker(['run', '-d', '--name', name, '-v', `/etc:/${EVIL_DIR}:ro`, TEST_IMAGE, 'sleep', '3600']);
  try {
    const dir = mkdtempSync(join(tmpdir(), 'bulkhead-html-'));
    const html = join(dir, 'report.html');
    const r = runCli(['audit', '-H', host, '--sections', 'containers', '-f', 'html', '-o', html, '--fail-on', 'none', '-q']);
    assert.equal(r.code, 0, r.stderr);
    await withBrowser(t, 'live audit', async (browser) => {
      const { page, events } = await open(browser, html);
      await page.waitForTimeout(300);
      assert.deepEqual(events.console, []);
      assert.deepEqual(events.errors, []);
      assert.deepEqual(events.dialogs, []);
      assert.equal(await page.locator('img').count(), 0);
      assert.ok((await page.locator('.group-name').allTextContents()).includes(name));
      const mount = page.locator('main tr.finding[data-rule="BH008"]', { hasText: name });
      assert.match((await mount.textContent())!, new RegExp(`mounts host path /etc at /${EVIL_DIR.replace(/[()]/g, '\\$&')}`));
    });
  } finally {
    docker(['rm', '-f', name]);
  }
});

browserTest('a large report starts with its groups closed and still filters', async (_t, browser) => {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-html-'));
  const services = Array.from({ length: 150 }, (_, i) => `  s${i}:\n    image: nginx\n    privileged: true\n`).join('');
  for (const name of ['a', 'b']) {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, 'compose.yaml'), `services:\n${services}`);
  }
  const { html, json } = scan(dir);
  assert.ok(json.findings.length > 2000, String(json.findings.length));
  const { page, events } = await open(browser, html);
  assert.deepEqual(events.console, []);
  assert.equal(await page.locator('details.group[open]').count(), 0);
  assert.equal(await page.locator('#shown').textContent(), String(json.findings.length));
  await page.locator('select[name="rule"]').selectOption('BH001');
  assert.equal(await page.locator('#shown').textContent(), '300');
  await page.locator('details.group >> nth=0 >> summary').click();
  assert.equal(await visibleRows(page), 150);
});

test('the file loads nothing from anywhere and runs only its own script, allowed by its hash', () => {
  const { html } = scan(riskyFolder());
  const page = readFileSync(html, 'utf8');
  assert.doesNotMatch(page, /<script[^>]*\ssrc=/i);
  assert.doesNotMatch(page, /<link\b/i);
  assert.doesNotMatch(page, /<(img|iframe|object|embed|video|audio|source)\b/i);
  assert.doesNotMatch(page, /url\(|@import|@font-face/i);
  // In a tag, that is: escaped names are text that reads `&lt;img src=x onerror=...`.
  assert.doesNotMatch(page, /<[a-z][^>]*\ssrc=/i);
  assert.doesNotMatch(page, /<(?!a\s)[a-z]+\b[^>]*\shref=/i, 'only links (<a>) have an href: they load nothing until clicked');
  assert.doesNotMatch(page, /<[a-z][^>]*\son[a-z]+=/i, 'no inline event handler, from us or from a name');
  assert.ok(page.includes(`&lt;img src=x onerror=alert(1)&gt;/Dockerfile`), 'the folder name is escaped text');
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(page)?.[1];
  assert.ok(csp?.startsWith("default-src 'none';"), csp);
  if (!csp) return;
  const scripts = [...page.matchAll(/<script>([\s\S]*?)<\/script>/g)];
  assert.equal(scripts.length, 1);
  const hash = createHash('sha256').update(scripts[0]![1]!, 'utf8').digest('base64');
  assert.ok(csp.includes(`script-src 'sha256-${hash}'`), csp);
});
