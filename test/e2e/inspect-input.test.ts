/** `audit --inspect`: bad input gets one clean line with the position, exit 2. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, fixturesDir } from '../support/env.js';

const dir = mkdtempSync(join(tmpdir(), 'bulkhead-inspect-'));
const recorded = join(fixturesDir, 'rules', 'privileged-container', 'bad.inspect.json');

test('malformed JSON: exit 2, file:line:column', () => {
  const file = join(dir, 'broken.json');
  writeFileSync(file, '[\n  {"Id": "abc",\n   "Config": }\n]\n');
  const r = runCli(['audit', '--inspect', file]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /broken\.json:3:14: malformed JSON: ValueExpected/);
  assert.equal(r.stderr.trim().split('\n').length, 1);
});

test('truncated input names where it ends', () => {
  const text = readFileSync(recorded, 'utf8');
  const r = runCli(['audit', '--inspect', '-'], { input: text.slice(0, text.length / 2) });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^bulkhead: -:\d+:\d+: malformed JSON: unexpected end of input/);
});

test('JSON that is not container inspect output is refused, not half-audited', () => {
  const r = runCli(['audit', '--inspect', '-'], { input: '[{"Id": "sha256:abc", "RepoTags": []}]' });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /-:1:2: element 0 is not `docker inspect` output for a container/);
});

test('a missing file and a directory are named', () => {
  assert.match(runCli(['audit', '--inspect', join(dir, 'nope.json')]).stderr, /nope\.json: no such file/);
  const r = runCli(['audit', '--inspect', dir]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /is a directory/);
});

test('an empty array audits nothing and passes', () => {
  const r = runCli(['audit', '--inspect', '-', '-f', 'json'], { input: '[]' });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).summary.subjects, 0);
});

test('terminal escapes in a container name never reach the terminal', () => {
  const doc = JSON.parse(readFileSync(recorded, 'utf8')) as Record<string, unknown>[];
  doc[0]!['Name'] = '/evil\u001b]0;pwned\u0007\u001b[31mred\u001b[0m';
  const r = runCli(['audit', '--inspect', '-', '--color', 'never'], { input: JSON.stringify(doc) });
  assert.equal(r.code, 1);
  assert.ok(!r.stdout.includes('\u001b'), 'no escape character in text output');
  assert.match(r.stdout, /evilred/);
  const json = runCli(['audit', '--inspect', '-', '-f', 'json'], { input: JSON.stringify(doc) });
  assert.equal(JSON.parse(json.stdout).findings[0].subject.name, 'evil\u001b]0;pwned\u0007\u001b[31mred\u001b[0m', 'JSON keeps the exact name, escaped');
});

test('JSON, SARIF and docker-bench output write DEL, the C1 controls and the line separators of untrusted text as escapes: the same data, nothing a terminal acts on', () => {
  const doc = JSON.parse(readFileSync(recorded, 'utf8')) as Record<string, unknown>[];
  const name = 'evil\u009b2J\u007f\u0085\u2028x';
  doc[0]!['Name'] = `/${name}`;
  for (const format of ['json', 'sarif', 'docker-bench']) {
    const r = runCli(['audit', '--inspect', '-', '-f', format], { input: JSON.stringify(doc) });
    assert.equal(r.code, 1, r.stderr);
    assert.doesNotMatch(r.stdout, /[\x7f-\x9f\u2028\u2029]/, format);
    assert.ok(r.stdout.includes('evil\\u009b2J\\u007f\\u0085\\u2028x'), format);
    assert.ok(JSON.stringify(JSON.parse(r.stdout)).includes(name), `${format}: parses back to the exact name`);
  }
});

test('untrusted text a message quotes shows DEL and the C1 controls as escapes, in text and JSON alike', () => {
  const doc = JSON.parse(readFileSync(recorded, 'utf8')) as { Config: Record<string, unknown> }[];
  doc[0]!.Config['Image'] = 'busy\u009b\u007fbox';
  const json = runCli(['audit', '--inspect', '-', '-f', 'json'], { input: JSON.stringify(doc) });
  const messages = (JSON.parse(json.stdout) as { findings: { message: string }[] }).findings.map((f) => f.message);
  assert.ok(messages.includes('image "busy\\u009b\\u007fbox" is not pinned by digest'), messages.join('\n'));
  const text = runCli(['audit', '--inspect', '-', '--color', 'never'], { input: JSON.stringify(doc) });
  assert.ok(text.stdout.includes('image "busy\\u009b\\u007fbox" is not pinned by digest'), text.stdout);
});

test('usage errors exit 2', () => {
  assert.equal(runCli(['audit', '--severity', 'huge']).code, 2);
  assert.equal(runCli(['audit', '--fail-on', 'sometimes']).code, 2);
  assert.equal(runCli(['audit', '--format', 'xml']).code, 2);
  assert.equal(runCli(['nonsense']).code, 2);
  const r = runCli(['audit', '-i', '-', '-f', 'json', '-f', 'sarif'], { input: '[]' });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /only one --format can go to stdout/);
});

test('--format and --output pairs write each report whole', () => {
  const jsonFile = join(dir, 'out.json');
  const sarifFile = join(dir, 'out.sarif');
  const r = runCli(['audit', '-i', recorded, '-q', '-f', 'json', '-o', jsonFile, '-f', 'sarif', '-o', sarifFile, '-f', 'text']);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /privileged-container/);
  assert.equal(JSON.parse(readFileSync(jsonFile, 'utf8')).findings[0].ruleName, 'privileged-container');
  const sarif = JSON.parse(readFileSync(sarifFile, 'utf8'));
  assert.equal(sarif.version, '2.1.0');
  const result = sarif.runs[0].results[0];
  assert.equal(result.ruleId, 'BH001');
  assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, 'test/rules/privileged-container/bad.inspect.json');
  assert.equal(result.locations[0].physicalLocation.region.startLine, 64);
  const rule = sarif.runs[0].tool.driver.rules[result.ruleIndex];
  assert.equal(rule.id, 'BH001');
  assert.equal(rule.properties['security-severity'], '9.5');
  assert.ok(rule.properties.tags.includes('security'));
});

test('--severity hides findings; the gate still counts them', () => {
  const r = runCli(['audit', '-i', recorded, '-f', 'json', '--severity', 'low']);
  const doc = JSON.parse(r.stdout);
  assert.ok(doc.findings.every((f: { severity: string }) => f.severity === 'low'));
  assert.ok(doc.summary.bySeverity.critical >= 1);
  assert.equal(r.code, 1);
  assert.equal(runCli(['audit', '-i', recorded, '--fail-on', 'none']).code, 0);
});

test('the report names the file and how many containers it held; left out of --sections, the file is not read, and the log says so', () => {
  const read = runCli(['audit', '--inspect', recorded, '-f', 'json', '--fail-on', 'none']);
  assert.equal(read.code, 0);
  assert.match((JSON.parse(read.stdout) as { target: string }).target, /^docker inspect output .*bad\.inspect\.json \(1 container\)$/);
  const file = join(dir, 'unread.json');
  writeFileSync(file, '[{"not": "even valid"');
  const unread = runCli(['audit', '--inspect', file, '--sections', 'images', '-f', 'json', '--fail-on', 'none']);
  assert.equal(unread.code, 0);
  assert.match(unread.stderr, /unread\.json is not read: it holds containers, and --sections leaves the containers section out/);
  assert.match((JSON.parse(unread.stdout) as { target: string }).target, /^docker inspect output .*unread\.json$/);
});
