/**
 * `bulkhead caps suggest`: on a running container of the private engine the
 * suggestion comes from what /proc shows it doing, and it is proven by running
 * the same work with exactly the suggested capabilities (it works) and with
 * none (it fails).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { docker, engineTest, runCli, TEST_IMAGE, TEST_NETWORK } from '../support/env.js';

// busybox httpd binds port 80 as root, then changes to uid 1000 (-u): a server that starts as root and drops to a user.
const SERVE = 'httpd -p 80 -u 1000:1000 -h /tmp';
const serveAndShow = `${SERVE}; sleep 1; netstat -ltn; ps -o user,args`;

interface Suggested {
  subject: { name: string; kind: string };
  drop: string[];
  add: { name: string; reason: string }[];
  notes: string[];
  syntax: string;
}

engineTest('caps suggest on a running container: SETUID and SETGID for the user change it was seen making, nothing for port 80 on Docker 20.10; the suggestion runs it, no capabilities break it', async (t, host) => {
  const name = `bulkhead-caps-${process.pid}`;
  docker(['run', '-d', '--name', name, '--network', TEST_NETWORK, TEST_IMAGE, 'sh', '-c', `${SERVE}; exec sleep 600`]);
  t.after(() => docker(['rm', '-f', name]));
  // httpd forks into the background: wait until its worker runs as uid 1000.
  for (let i = 0; i < 50 && !/\s1000\s+httpd/.test(`\n${docker(['top', name, '-o', 'pid,uid,args'])}`); i++) await new Promise((r) => setTimeout(r, 100));

  const r = runCli(['caps', 'suggest', name, '-H', host, '-f', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const [s] = JSON.parse(r.stdout) as Suggested[];
  assert.equal(s!.subject.name, name);
  assert.deepEqual(s!.drop, ['ALL']);
  assert.deepEqual(s!.add.map((a) => a.name), ['SETGID', 'SETUID']);
  assert.match(s!.add[0]!.reason, /runs as uid 1000 in a container that starts as root/);
  assert.ok(s!.notes.some((n) => /port 80, below 1024: no capability needed/.test(n)), s!.notes.join('\n'));
  assert.equal(s!.syntax, 'docker run --cap-drop ALL --cap-add SETGID --cap-add SETUID …');

  const flags = s!.add.flatMap((a) => ['--cap-add', a.name]);
  const suggested = docker(['run', '--rm', '--network', TEST_NETWORK, '--cap-drop', 'ALL', ...flags, TEST_IMAGE, 'sh', '-c', serveAndShow]);
  assert.match(suggested, /:80\s.*LISTEN/, 'with the suggested capabilities the server listens');
  assert.match(suggested, /^1000\s+httpd/m, 'and runs as uid 1000');
  const none = docker(['run', '--rm', '--network', TEST_NETWORK, '--cap-drop', 'ALL', TEST_IMAGE, 'sh', '-c', serveAndShow]);
  assert.doesNotMatch(none, /:80\s.*LISTEN/, 'with no capabilities it cannot change user, and gives up');
  assert.doesNotMatch(none, /^1000\s+httpd/m);
});

engineTest('caps suggest: an unknown container is exit 2 naming it; a stopped one is judged from its configuration, said on stderr', async (t, host) => {
  const missing = runCli(['caps', 'suggest', 'no-such-container-bulkhead', '-H', host]);
  assert.equal(missing.code, 2);
  assert.equal(missing.stderr, 'bulkhead: no such container or file: no-such-container-bulkhead\n');
  const name = `bulkhead-caps-created-${process.pid}`;
  docker(['create', '--name', name, '--cap-add', 'NET_ADMIN', TEST_IMAGE, 'true']);
  t.after(() => docker(['rm', '-f', name]));
  const r = runCli(['caps', 'suggest', name, '-H', host]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /is not running: judged from its configuration alone/);
  assert.match(r.stdout, new RegExp(`^${name}: drop ALL, add NET_ADMIN$`, 'm'));
  assert.match(r.stdout, /NET_ADMIN: added explicitly in the configuration/);
});

test('caps suggest FILE and FILE:NAME: every container of a compose file, or the one named; errors are one line, exit 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-caps-'));
  const compose = join(dir, 'compose.yaml');
  writeFileSync(compose, 'services:\n  web:\n    image: nginx:1.25\n  worker:\n    image: app\n    user: "1000"\n');
  const all = runCli(['caps', 'suggest', compose]);
  assert.equal(all.code, 0, all.stderr);
  assert.match(all.stdout, /^web \(.*compose\.yaml\): drop ALL, add CHOWN, SETGID, SETUID$/m);
  assert.match(all.stdout, /^worker \(.*compose\.yaml\): drop ALL, add nothing$/m);
  assert.match(all.stderr, /judged from the configuration alone/);
  const one = runCli(['caps', 'suggest', `${compose}:worker`, '-f', 'json', '-q']);
  assert.equal(one.code, 0, one.stderr);
  assert.equal(one.stderr, '');
  assert.deepEqual((JSON.parse(one.stdout) as Suggested[]).map((s) => [s.subject.name, s.add.length]), [['worker', 0]]);

  // Names and cap_add values from the file reach the terminal without their control characters.
  writeFileSync(compose, 'services:\n  "web\\e]0;pwned\\a\\e[2J":\n    image: app\n    cap_add: ["\\e[31mRED"]\n');
  const hostile = runCli(['caps', 'suggest', compose]);
  assert.equal(hostile.code, 0, hostile.stderr);
  assert.doesNotMatch(hostile.stdout, /[\x00-\x08\x0b-\x1f\x7f]/);
  assert.match(hostile.stdout, /cap_add RED: not a capability/, "the escape sequence is removed whole");
  writeFileSync(compose, 'services:\n  web:\n    image: nginx:1.25\n  worker:\n    image: app\n    user: "1000"\n');

  const bad = runCli(['caps', 'suggest', `${compose}:db`]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^bulkhead: .*compose\.yaml: no container named db \(there are: web, worker\)\n$/);
  const dockerfile = join(dir, 'Dockerfile');
  writeFileSync(dockerfile, 'FROM scratch\n');
  assert.match(runCli(['caps', 'suggest', dockerfile]).stderr, /no containers to suggest for .*a Dockerfile cannot set them\)\n$/);
  writeFileSync(compose, 'services:\n  web: [\n');
  const malformed = runCli(['caps', 'suggest', compose]);
  assert.equal(malformed.code, 2);
  assert.match(malformed.stderr, /^bulkhead: .*compose\.yaml:\d+:\d+: [^\n]+\n$/);
});

test('caps suggest FILE: a service name that is not a plain YAML key is quoted in the snippet (which then means exactly that service) and in its heading, one line each; nothing from the file forges lines', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-caps-'));
  const compose = join(dir, 'compose.yaml');
  const injected = 'web:\n    privileged: true\n    x';
  const comment = 'a: b #c';
  // Quoted YAML keys: the first holds newlines that, written raw, would add `privileged: true` to the snippet.
  writeFileSync(compose, `services:\n  ${JSON.stringify(injected)}:\n    image: nginx:1.25\n  ${JSON.stringify(comment)}:\n    image: app\n    cap_add: ["X\\nEVIL (compose.yaml): drop ALL, add SYS_ADMIN"]\n  plain-one:\n    image: app\n`);
  const r = runCli(['caps', 'suggest', compose]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stdout.includes(`\n${JSON.stringify(injected)} (${compose}): drop ALL, add CHOWN, SETGID, SETUID\n`) || r.stdout.startsWith(`${JSON.stringify(injected)} (${compose}): drop ALL`), r.stdout);
  assert.match(r.stdout, new RegExp(`^${JSON.stringify(comment)} \\(.*compose\\.yaml\\): drop ALL, add nothing$`, 'm'));
  assert.match(r.stdout, /^plain-one \(.*compose\.yaml\): drop ALL, add nothing$/m);
  assert.doesNotMatch(r.stdout, /^\s*privileged: true$/m);
  // A newline in a cap_add value does not start a heading of its own: three services, three headings.
  assert.equal(r.stdout.match(/^\S.*: drop ALL, add /gim)?.length, 3, r.stdout);
  // Each snippet, unindented, parses as YAML naming exactly its service (a key of another type, e.g. a plain `true:`, would not equal the string).
  const snippets = r.stdout.split('\n\n').filter((b) => b.startsWith('  services:')).map((b) => parseYaml(b.replace(/^ {2}/gm, ''), { mapAsMap: true }) as Map<string, Map<unknown, Map<string, unknown>>>);
  assert.deepEqual(snippets.map((doc) => [...doc.keys()]), [['services'], ['services'], ['services']]);
  assert.deepEqual(snippets.map((doc) => [...doc.get('services')!.keys()]), [[injected], [comment], ['plain-one']]);
  for (const doc of snippets) assert.deepEqual([...[...doc.get('services')!.values()][0]!.keys()].filter((k) => k !== 'cap_add'), ['cap_drop']);

  const json = runCli(['caps', 'suggest', compose, '-f', 'json', '-q']);
  assert.equal(json.code, 0, json.stderr);
  const syntax = (JSON.parse(json.stdout) as Suggested[]).map((s) => [...(parseYaml(s.syntax, { mapAsMap: true }) as Map<string, Map<unknown, unknown>>).get('services')!.keys()]);
  assert.deepEqual(syntax, [[injected], [comment], ['plain-one']]);
  // A service whose name holds a slash is that service, not the part after it.
  writeFileSync(compose, 'services:\n  a/b:\n    image: app\n');
  assert.match(runCli(['caps', 'suggest', compose]).stdout, /^ {2}services:\n {4}"?a\/b"?:$/m);
});

test('caps suggest on Kubernetes and ECS files: a container name holding a newline is one quoted heading line; their snippets name no container', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-caps-'));
  const k8s = join(dir, 'pod.yaml');
  const name = 'app\nsecurityContext: {privileged: true}';
  writeFileSync(k8s, `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: ${JSON.stringify(name)}\n      image: app\n`);
  const r = runCli(['caps', 'suggest', k8s]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^"Pod\/p\/app\\nsecurityContext: \{privileged: true\}" \(.*pod\.yaml\): drop ALL, add nothing$/m);
  assert.doesNotMatch(r.stdout, /^securityContext: \{privileged/m);
  const ecs = join(dir, 'task.json');
  writeFileSync(ecs, JSON.stringify({ family: 'f', containerDefinitions: [{ name: 'api\n  "privileged": true', image: 'app' }] }));
  const e = runCli(['caps', 'suggest', ecs]);
  assert.equal(e.code, 0, e.stderr);
  assert.match(e.stdout, /^"[^\n]*api\\n  \\"privileged\\": true" \(.*task\.json\): drop ALL, add nothing$/m);
  assert.doesNotMatch(e.stdout, /^\s*"privileged": true/m);
});
