/**
 * --format junit, read back by a real XML parser (libxml2's xmllint, as CI
 * dashboards parse it): well-formed whatever the names hold, one suite per
 * file or subject, one test case per rule that judged a subject.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixturesDir, runCli } from '../support/env.js';

/** xmllint refuses XML that is not well-formed (exit 1); `--xpath` evaluates an expression on it. */
function xpath(file: string, expression: string): string {
  return execFileSync('xmllint', ['--xpath', expression, file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

function junit(args: string[], cwd: string): string {
  const out = join(cwd, 'report.xml');
  const r = runCli([...args, '-f', 'junit', '-o', out, '--fail-on', 'none'], { cwd });
  assert.equal(r.code, 0, r.stderr);
  execFileSync('xmllint', ['--noout', out], { stdio: ['ignore', 'pipe', 'pipe'] }); // throws when not well-formed
  return out;
}

test('scan: one suite per file, a test case per rule and subject, failures carrying the finding and its position, totals that add up', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-junit-'));
  writeFileSync(join(dir, 'compose.yaml'), 'services:\n  web:\n    image: nginx\n    privileged: true\n  # bulkhead ignore=no-memory-limit set by the platform\n  api:\n    image: api\n    user: "1000"\n');
  writeFileSync(join(dir, 'Dockerfile'), 'FROM debian:12\nADD app.js /app/\n');
  const file = junit(['scan', '.'], dir);

  assert.equal(xpath(file, 'count(/testsuites/testsuite)'), '2');
  const suite = "/testsuites/testsuite[@name='compose.yaml']";
  const failing = xpath(file, `${suite}/testcase[@classname='web' and @name='BH001 privileged-container']/failure/@type`);
  assert.equal(failing, 'type="critical"');
  assert.match(xpath(file, `string(${suite}/testcase[@classname='web' and @name='BH001 privileged-container']/failure)`), /at compose\.yaml:4:5 services\.web\.privileged/);
  assert.equal(xpath(file, `count(${suite}/testcase[@classname='api' and @name='BH001 privileged-container']/*)`), '0', 'a rule that found nothing passes');
  assert.match(xpath(file, `string(${suite}/testcase[@classname='api' and @name='BH018 no-memory-limit']/skipped/@message)`), /^suppressed \(inline\): set by the platform/);
  // Every rule that judges containers is a test case of each service; the Dockerfile's image has the build rules too.
  const perService = Number(xpath(file, `count(${suite}/testcase[@classname='web'])`));
  assert.ok(perService > 30, String(perService));
  assert.equal(xpath(file, `count(${suite}/testcase[@classname='api'])`), String(perService));
  assert.equal(xpath(file, "count(/testsuites/testsuite[@name='Dockerfile']/testcase[@name='BH034 add-instead-of-copy']/failure)"), '1');

  for (const level of ['/testsuites', suite]) {
    assert.equal(xpath(file, `string(${level}/@tests)`), xpath(file, `count(${level}//testcase)`));
    assert.equal(xpath(file, `string(${level}/@failures)`), xpath(file, `count(${level}//testcase[failure])`));
    assert.equal(xpath(file, `string(${level}/@skipped)`), xpath(file, `count(${level}//testcase[skipped])`));
  }
});

test('hostile names stay text: a folder named <img src=x onerror=alert(1)>, markup, quotes and control characters in a service name', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-junit-'));
  const evil = join(dir, '<img src=x onerror=alert(1)>');
  mkdirSync(evil);
  writeFileSync(join(evil, 'Dockerfile'), 'FROM debian\nADD x /x\n');
  writeFileSync(join(dir, 'compose.yaml'), 'services:\n  "a]]>&\\"<\\u0001\\u001b[31mb":\n    image: nginx\n    privileged: true\n');
  const file = junit(['scan', '.'], dir);
  assert.equal(xpath(file, 'count(//img)'), '0', 'no element came from a name');
  assert.equal(xpath(file, "count(/testsuites/testsuite[@name='<img src=x onerror=alert(1)>/Dockerfile'])"), '1');
  assert.equal(xpath(file, 'count(//testcase[@classname=\'a]]>&"<[31mb\'])') , '0', 'the escape sequence is gone with its ESC');
  assert.ok(Number(xpath(file, 'count(//testcase[@classname=\'a]]>&"<b\'])')) > 30);
});

test('audit --inspect: one suite per container, named with its kind', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-junit-'));
  const file = junit(['audit', '--inspect', join(fixturesDir, 'rules', 'privileged-container', 'bad.inspect.json')], dir);
  const names = xpath(file, '/testsuites/testsuite/@name');
  assert.match(names, /name=".+ \(container\)"/);
  assert.equal(xpath(file, "count(//testcase[@name='BH001 privileged-container']/failure)"), '1');
});
