/** The parts of `bulkhead watch` that need no engine: events as the engine wrote them, the state digest, metrics text, addresses, backoff. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';
import { runRules } from '../../src/core/engine.js';
import { containerEvents, parseEvent } from '../../src/inputs/engine/events.js';
import { containerFromInspect } from '../../src/inputs/inspect/adapt.js';
import { RULES } from '../../src/rules/index.js';
import { Backoff } from '../../src/watch/backoff.js';
import { isLoopback, parseMetricsAddress } from '../../src/watch/metrics-server.js';
import { escapeLabel, WatchMetrics } from '../../src/watch/metrics.js';
import { canonical, SeenStates, stateDigest } from '../../src/watch/state.js';
import { renderTextLine } from '../../src/watch/render.js';
import { SEVERITIES, type Severity } from '../../src/core/severity.js';
import { fixturesDir } from '../support/env.js';
import { parseExposition } from '../support/exposition.js';

/** `GET /events?since=0&until=…` of a Docker 20.10 engine, as it answered (image import, network, create, start, update, restart, exec, destroy). */
const recorded = readFileSync(join(fixturesDir, 'unit', 'recorded', 'engine-events.jsonl'), 'utf8');
/** `docker inspect` of a container run with --pid host, recorded from the engine. */
const inspected = (JSON.parse(readFileSync(join(fixturesDir, 'rules', 'host-pid', 'bad.inspect.json'), 'utf8')) as Record<string, unknown>[])[0]!;

test('events: only container create, start, update and destroy, with the name and image the engine gave', () => {
  const events = recorded.split('\n').filter(Boolean).map(parseEvent).filter((e) => e !== undefined);
  assert.deepEqual(
    events.map((e) => `${e.action} ${e.name}`),
    ['create pre', 'create new1', 'start new1', 'update new1', 'start new1', 'destroy pre'],
  );
  assert.ok(events.every((e) => /^[0-9a-f]{64}$/.test(e.id) && Number.isInteger(e.time) && e.time > 1.7e9));
  assert.equal(events[1]!.image, 'bulkhead-test:1');
  assert.equal(parseEvent('{"Type":"container","Action":"start"'), undefined);
  assert.equal(parseEvent('null'), undefined);
});

test('events: the same events however the stream is cut into chunks', async () => {
  const whole = [];
  for await (const e of containerEvents(chunks(recorded, [recorded.length]))) whole.push(e);
  assert.equal(whole.length, 6);
  for (const size of [1, 7, 100, 333]) {
    const got = [];
    for await (const e of containerEvents(chunks(recorded, [size]))) got.push(e);
    assert.deepEqual(got, whole, `chunks of ${size}`);
  }
  // Multi-byte characters cut in the middle are not mangled: the name is the engine's.
  const line = recorded.split('\n').find((l) => l.includes('"Type":"container"') && l.includes('"Action":"create"'))!.replace(/"name":"[^"]*"/, '"name":"é✓"');
  const got = [];
  for await (const e of containerEvents(chunks(`${line}\n`, [1]))) got.push(e);
  assert.equal(got[0]?.name, 'é✓');
});

async function* chunks(text: string, [size]: number[]): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += size!) yield bytes.subarray(i, i + size!);
}

test('state: a restart (new PID, times, addresses) is the same state; a changed limit, status or process is not', () => {
  const base = stateDigest(inspected, [{ pid: 10, command: 'sleep 3600' }]);
  const restarted = structuredClone(inspected) as Record<string, any>;
  restarted['State'] = { ...restarted['State'], Pid: 999, StartedAt: '2027-01-01T00:00:00Z' };
  restarted['NetworkSettings'] = { SandboxID: 'other' };
  restarted['RestartCount'] = 3;
  assert.equal(stateDigest(restarted, [{ pid: 11, command: 'sleep 3600' }]), base);
  // Key order is not a fact.
  const reordered = Object.fromEntries(Object.entries(inspected).reverse());
  assert.equal(stateDigest(reordered, [{ pid: 10, command: 'sleep 3600' }]), base);

  const limited = structuredClone(inspected) as Record<string, any>;
  limited['HostConfig'] = { ...limited['HostConfig'], Memory: 67108864 };
  assert.notEqual(stateDigest(limited, [{ pid: 10, command: 'sleep 3600' }]), base);
  const created = structuredClone(inspected) as Record<string, any>;
  created['State'] = { ...created['State'], Status: 'created' };
  assert.notEqual(stateDigest(created, [{ pid: 10, command: 'sleep 3600' }]), base);
  assert.notEqual(stateDigest(inspected, [{ pid: 10, command: 'sleep 3600' }, { pid: 12, command: 'sshd' }]), base);

  const seen = new SeenStates();
  assert.equal(seen.isNew('a', base), true);
  assert.equal(seen.isNew('a', base), false);
  seen.forget('a');
  assert.equal(seen.isNew('a', base), true);
  assert.equal(canonical({ b: 1, a: [true, null, 'x'], c: undefined }), '{"a":[true,null,"x"],"b":1}');
});

test('metrics: valid exposition text, label values escaped, a destroyed container gone', () => {
  const container = containerFromInspect(inspected, { kind: 'engine' });
  const findings = runRules({ containers: [container] }, RULES.filter((r) => r.needs.includes('runtime')));
  assert.ok(findings.some((f) => f.rule.name === 'host-pid'));
  const m = new WatchMetrics();
  // Docker's names cannot hold these; the escaping is the format's, whatever the name.
  const odd = 'we"ird\\name\nline';
  m.setFindings('id1', odd, findings);
  m.setFindings('id2', 'plain', findings.slice(0, 1));
  m.auditDone();
  m.auditDone();
  m.setEngineUp(true);
  const e = parseExposition(m.render());
  const mine = e.samples.filter((s) => s.name === 'bulkhead_findings' && s.labels['container'] === odd);
  assert.equal(mine.reduce((n, s) => n + s.value, 0), findings.length);
  assert.equal(mine.find((s) => s.labels['rule'] === 'host-pid')?.value, 1);
  assert.equal(e.samples.find((s) => s.name === 'bulkhead_audits_total')?.value, 2);
  assert.equal(e.samples.find((s) => s.name === 'bulkhead_engine_up')?.value, 1);
  m.forget('id1');
  m.setEngineUp(false);
  const after = parseExposition(m.render());
  assert.deepEqual([...new Set(after.samples.filter((s) => s.name === 'bulkhead_findings').map((s) => s.labels['container']))], ['plain']);
  assert.equal(after.samples.find((s) => s.name === 'bulkhead_engine_up')?.value, 0);
  assert.equal(escapeLabel('a\\b"c\nd'), 'a\\\\b\\"c\\nd');
});

test('the exposition checker refuses what the format does not allow', () => {
  const ok = '# HELP x a thing\n# TYPE x gauge\nx{a="1"} 2\n';
  assert.equal(parseExposition(ok).samples.length, 1);
  for (const bad of [
    '# TYPE x gauge\nx 1',
    '# TYPE x gauge\n# TYPE x gauge\nx 1\n',
    'x 1\n# TYPE x gauge\n',
    '# TYPE x gauge\nx{a="1"} 1\n# TYPE y gauge\ny 1\nx{a="2"} 1\n',
    '# TYPE x gauge\nx{a="\\q"} 1\n',
    '# TYPE x gauge\nx{a="1",a="2"} 1\n',
    '# TYPE x gauge\nx{__a="1"} 1\n',
    '# TYPE x gauge\nx 1\nx 2\n',
    '# TYPE x gauge\nx one\n',
    '# TYPE 1x gauge\n',
    '# TYPE x meter\n',
    '# TYPE x gauge\nx{a="1"b="2"} 1\n',
  ]) assert.throws(() => parseExposition(bad), Error, JSON.stringify(bad));
});

test('metrics address: HOST:PORT, [IPv6]:PORT; loopback told apart', () => {
  assert.deepEqual(parseMetricsAddress('127.0.0.1:9323'), { host: '127.0.0.1', port: 9323 });
  assert.deepEqual(parseMetricsAddress('[::1]:0'), { host: '::1', port: 0 });
  assert.deepEqual(parseMetricsAddress(':9323'), { host: '127.0.0.1', port: 9323 });
  assert.deepEqual(parseMetricsAddress('localhost:1'), { host: 'localhost', port: 1 });
  for (const bad of ['9323', 'host:1', '1.2.3.4:65536', '[1.2.3.4]:1', '1.2.3.4', '[::1]']) assert.throws(() => parseMetricsAddress(bad), /--metrics/, bad);
  for (const h of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1', 'localhost', '0:0:0:0:0:0:0:1']) assert.equal(isLoopback(h), true, h);
  for (const h of ['0.0.0.0', '::', '10.0.0.1', '128.0.0.1', '::2', '::ffff:10.0.0.1']) assert.equal(isLoopback(h), false, h);
});

test('backoff: 0.5 s doubling to 30 s, jittered by at most a fifth, back to 0.5 s after a connection', () => {
  const middle = new Backoff(500, 30_000, () => 0.5);
  assert.deepEqual(Array.from({ length: 9 }, () => middle.delay()), [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  middle.reset();
  assert.equal(middle.delay(), 500);
  const low = new Backoff(500, 30_000, () => 0);
  const high = new Backoff(500, 30_000, () => 0.999999);
  assert.equal(low.delay(), 400);
  assert.equal(high.delay(), 600);
});

test('text line: the counts are every reported finding, those --severity hides too; all hidden is not "clean"', () => {
  const container = containerFromInspect(inspected, { kind: 'engine' });
  const all = runRules({ containers: [container] }, RULES);
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, all.filter((f) => f.severity === s).length])) as Record<Severity, number>;
  const line = (shown: typeof all) => renderTextLine({ time: new Date(0), event: 'start', container: { id: 'abc', name: 'web', image: 'i' }, findings: shown, counts, failed: false });
  const summary = [...SEVERITIES].reverse().filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`).join(', ');
  assert.ok(all.length > 1);
  assert.equal(line(all).split('\n')[0], `1970-01-01T00:00:00.000Z container web (start): ${all.length} findings (${summary})`);
  assert.equal(line(all.slice(0, 1)).split('\n')[0], `1970-01-01T00:00:00.000Z container web (start): ${all.length} findings (${summary}), ${all.length - 1} not shown (--severity)`);
  assert.equal(line(all.slice(0, 1)).split('\n').length, 3, 'the head, the one shown finding, the final newline');
  assert.equal(line([]), `1970-01-01T00:00:00.000Z container web (start): ${all.length} findings (${summary}), ${all.length} not shown (--severity)\n`);
  const none = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  assert.equal(renderTextLine({ time: new Date(0), event: 'start', container: { id: 'abc', name: 'web', image: 'i' }, findings: [], counts: none, failed: false }), '1970-01-01T00:00:00.000Z container web (start): clean\n');
});
