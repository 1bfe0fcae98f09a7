/** SARIF output validates against the official SARIF 2.1.0 schema, with real positions. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { runCli } from '../support/env.js';

const require = createRequire(import.meta.url);
const schema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json') as object;
// ajv-draft-04 is CommonJS: loaded with require, its class is the module itself.
const Ajv = require('ajv-draft-04') as typeof import('ajv-draft-04').default;
const validate = new Ajv({ allErrors: true, strict: false, validateFormats: false, logger: false, unicodeRegExp: false /* the schema's language pattern is not valid with the u flag */ }).compile(schema);

function sarifOf(args: string[]): { runs: { tool: { driver: { rules: { id: string }[] } }; results: Record<string, any>[] }[] } {
  const r = runCli([...args, '-f', 'sarif', '--fail-on', 'none', '--show-suppressed']);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as ReturnType<typeof sarifOf>;
  assert.ok(validate(doc), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
  return doc;
}

test('audit --inspect: valid SARIF with file, line and column', () => {
  const doc = sarifOf(['audit', '--inspect', 'test/rules/privileged-container/bad.inspect.json']);
  const result = doc.runs[0]!.results.find((r) => r['ruleId'] === 'BH001')!;
  const region = result['locations'][0].physicalLocation.region;
  assert.deepEqual([region.startLine, region.startColumn], [64, 13]);
});

test('scan: valid SARIF with repo-relative URIs for every kind of input', () => {
  const doc = sarifOf(['scan', 'test/scan/real-world']);
  const uris = new Set(doc.runs[0]!.results.map((r) => r['locations'][0].physicalLocation.artifactLocation.uri as string));
  assert.ok([...uris].every((u) => u.startsWith('test/scan/real-world/')), [...uris].join(' '));
  assert.ok(doc.runs[0]!.results.length > 0);
  assert.ok(doc.runs[0]!.results.every((r) => r['locations'][0].physicalLocation.region.startLine >= 1));
});

test('the validator rejects what the schema forbids', () => {
  assert.equal(validate({ version: '2.1.0', runs: [{ tool: {} }] }), false, 'a run needs tool.driver');
  assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, level: 'fatal' }] }] }), false, 'no such level');
});
