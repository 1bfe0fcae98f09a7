import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { JsonShapeError, topLevelElements } from '../../src/inputs/json/elements.js';
import { Positions, positionIn } from '../../src/inputs/json/positions.js';
import { bytesSource } from '../../src/inputs/byte-source.js';

/** Line and column (in UTF-16 code units, as the rest of bulkhead counts) of a character offset, counted the obvious way. */
function naive(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}

test('the elements of an array: their bytes parse to the values, at the right line and column, any text and spacing', () => {
  fc.assert(
    fc.property(fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 6 }), fc.constantFrom(undefined, 1, 4, '\t'), fc.integer({ min: 1, max: 64 }), (values, indent, chunk) => {
      const text = JSON.stringify(values, null, indent);
      const bytes = Buffer.from(text, 'utf8');
      // Read in pieces of 1 to 64 bytes: elements, strings, escapes and characters cut anywhere.
      const elements = topLevelElements(bytesSource(bytes), chunk);
      const expected = JSON.parse(text) as unknown[]; // -0 is written as 0
      assert.equal(elements.length, values.length);
      for (const [i, el] of elements.entries()) {
        assert.deepEqual(JSON.parse(bytes.toString('utf8', el.start, el.end)), expected[i]);
        const charOffset = bytes.toString('utf8', 0, el.start).length;
        assert.deepEqual({ line: el.line, column: el.column }, naive(text, charOffset));
        assert.deepEqual(new Positions(bytes).at(el.start), naive(text, charOffset));
        assert.deepEqual(positionIn(bytesSource(bytes), el.start, chunk), naive(text, charOffset));
      }
    }),
    { numRuns: 500 },
  );
});

test('a lone object is one element; non-ASCII before an element counts as characters, not bytes', () => {
  assert.deepEqual(topLevelElements(bytesSource(Buffer.from('  {"a": 1}\n'))), [{ start: 2, end: 10, line: 1, column: 3, layout: undefined }]);
  const text = '[{"é€😀": 1}, {"b": 2}]';
  const [, second] = topLevelElements(bytesSource(Buffer.from(text)), 3);
  assert.deepEqual({ line: second!.line, column: second!.column }, naive(text, text.indexOf('{"b"')));
});

test('structural errors carry the byte offset where they are', () => {
  const cases: [string, RegExp, number][] = [
    ['', /empty input/, 0],
    ['x', /expected a JSON array or object/, 0],
    ['[{"a": 1} {"b": 2}]', /expected ',' or ']'/, 10],
    ['[{"a": "unterminated}]', /unterminated string/, 7], // where the string starts
    ['[{"a": [1}', /unclosed bracket/, 10],
    ['[{"a": 1}] trailing', /unexpected text after/, 11],
    ['[1, ', /unexpected end of input/, 4],
  ];
  for (const [text, message, offset] of cases) {
    assert.throws(
      () => topLevelElements(bytesSource(Buffer.from(text)), 2),
      (e: unknown) => e instanceof JsonShapeError && message.test(e.message) && e.offset === offset,
      JSON.stringify(text),
    );
  }
});

test('minified input, one line of thousands of elements, is split in linear time', () => {
  const text = JSON.stringify(Array.from({ length: 20000 }, (_, i) => ({ i, name: `é${i}` })));
  const bytes = Buffer.from(text);
  const elements = topLevelElements(bytesSource(bytes)); // quadratic column counting would take minutes here
  assert.equal(elements.length, 20000);
  const last = elements.at(-1)!;
  assert.deepEqual({ line: last.line, column: last.column }, naive(text, text.lastIndexOf('{')));
});

test('an element written one item per line, indented by depth with spaces, has its layout; tabs, one-line and hand-joined elements have none', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }), { minKeys: 1 }), fc.array(fc.jsonValue({ maxDepth: 2 }), { minLength: 1 })), { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 8 }), (values, indent) => {
      const text = JSON.stringify(values, null, indent);
      const elements = topLevelElements(bytesSource(Buffer.from(text)));
      // JSON.stringify indents the array's elements one level, their items two.
      for (const el of elements) assert.deepEqual(el.layout, { indent, unit: indent });
      for (const other of [JSON.stringify(values, null, '\t'), JSON.stringify(values)]) {
        for (const el of topLevelElements(bytesSource(Buffer.from(other)))) assert.equal(el.layout, undefined, other);
      }
    }),
    { numRuns: 200 },
  );
  const laidOut = (text: string) => topLevelElements(bytesSource(Buffer.from(text)))[0]!.layout;
  assert.deepEqual(laidOut('[\n    {\n        "a": [\n            1\n        ],\n        "b": {}\n    }\n]'), { indent: 4, unit: 4 });
  assert.deepEqual(laidOut('{\n  "a": 1\n}'), { indent: 0, unit: 2 });
  for (const text of [
    '[\n  {\n    "a": 1, "b": 2\n  }\n]', // two items on a line
    '[\n  {\n    "a": 1,\n     "b": 2\n  }\n]', // a line indented a space too far
    '[\n  {\n    "a": {"b": 2}\n  }\n]', // an object on one line
    '[\n  {\n    "a": 1\n  }\n]'.replace('1\n', '1 }').replace('  }\n]', ']'), // a close that does not start its line
    '[\n  {\n    "a": 1,\n\n    "b": 2\n  }\n]', // a blank line
    '[\n  {\n    "a": 1,\r\n    "b": 2\n  }\n]', // CRLF
    '[\n  {\n    "a":\n      1\n  }\n]', // a value on the line after its key
    '[\n  { "a": 1,\n    "b": 2\n  }\n]', // the first item on the opening line
    '[{\n    "a": 1\n}]', // text before the opening bracket on its line
  ]) {
    assert.equal(laidOut(text), undefined, JSON.stringify(text));
  }
});
