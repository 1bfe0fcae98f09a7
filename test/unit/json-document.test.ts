import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { jsonDocument } from '../../src/inputs/yaml/json-document.js';
import { loadYamlDocuments } from '../../src/inputs/yaml/documents.js';
import { joinPath, type Segment } from '../../src/model/path.js';

function allPaths(value: unknown, segments: Segment[] = [], out: string[] = []): string[] {
  out.push(joinPath(segments));
  if (value && typeof value === 'object') {
    const entries: [Segment, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
    for (const [k, v] of entries) allPaths(v, [...segments, k], out);
  }
  return out;
}

/** The YAML library's reading of the same text: a trailing comment makes it invalid JSON, so the YAML path reads it. */
function viaYaml(text: string) {
  const docs = loadYamlDocuments(`${text}\n# not JSON`, 'f.json');
  assert.equal(docs.length, 1);
  return docs[0]!;
}

test('jsonDocument: the value and the positions the YAML path gives, for any JSON', () => {
  fc.assert(
    fc.property(fc.oneof(fc.array(fc.jsonValue({ maxDepth: 5 })), fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 5 }))), fc.constantFrom(0, 2, '\t'), (value, indent) => {
      const text = JSON.stringify(value, null, indent);
      const fast = jsonDocument(text, 'f.json', 64);
      assert.ok(fast);
      let slow;
      try {
        slow = viaYaml(text);
      } catch {
        return; // text the YAML parser refuses (some characters YAML forbids): the fast path reads it, which is right for JSON
      }
      assert.deepStrictEqual(fast.value, slow.value);
      const paths = [...allPaths(fast.value), 'missing', '[99]', 'a.b[0]'];
      assert.deepStrictEqual([...fast.locate(paths)].sort(), [...slow.locate(paths)].sort());
    }),
    { numRuns: 300 },
  );
});

test('jsonDocument: duplicate keys take the last value, as JSON.parse (and so the AWS CLI) reads them, and are placed at that last key; YAML refuses them, as docker compose and kubectl do', () => {
  const text = '{\n  "a": 1,\n  "b": {"c": [true, {"d": null}]},\n  "a": 2\n}';
  const fast = jsonDocument(text, 'f.json', 64)!;
  assert.deepStrictEqual(fast.value, { a: 2, b: { c: [true, { d: null }] } });
  assert.deepStrictEqual(fast.locate(['a', 'b.c[1]', '']).get('a'), { file: 'f.json', line: 4, column: 3, endLine: 4, endColumn: 6 });
  assert.throws(() => loadYamlDocuments('services:\n  web:\n    image: a\n  web:\n    image: b\n', 'c.yaml'), /c\.yaml:4:3: malformed YAML: Map keys must be unique/);
});

test('jsonDocument leaves to the YAML path what it would not read the same', () => {
  assert.equal(jsonDocument('a: 1', 'f', 64), undefined); // YAML, not JSON
  assert.equal(jsonDocument('{"a": 1,}', 'f', 64), undefined); // malformed: the YAML path words the error
  assert.equal(jsonDocument('{"a":\r\n 1}', 'f', 64), undefined); // carriage returns
  assert.equal(jsonDocument('"text"', 'f', 64), undefined); // not a collection
  const deep = '['.repeat(65) + ']'.repeat(65);
  assert.equal(jsonDocument(deep, 'f', 64), undefined); // refused with its position by the YAML path
  assert.ok(jsonDocument('['.repeat(64) + ']'.repeat(64), 'f', 64));
  assert.throws(() => loadYamlDocuments(deep, 'f'), /nested deeper than 64 levels/);
});
