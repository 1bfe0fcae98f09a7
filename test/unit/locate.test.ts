import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseTree, type Node } from 'jsonc-parser';
import { locatePaths, type Place } from '../../src/inputs/json/locate.js';
import { topLevelElements } from '../../src/inputs/json/elements.js';
import { bytesSource } from '../../src/inputs/byte-source.js';
import { joinPath, splitPath, type Segment } from '../../src/model/path.js';

/** Every path in a JSON text and where jsonc-parser (an independent parser) puts it: a property at its key, an element at its start. */
function expectedOffsets(text: string): Map<string, number> {
  const out = new Map<string, number>();
  const walk = (node: Node, segments: Segment[]) => {
    if (node.type === 'object') {
      for (const property of node.children ?? []) {
        const [key, value] = property.children!;
        const path = [...segments, key!.value as string];
        if (!out.has(joinPath(path))) out.set(joinPath(path), key!.offset); // the first of duplicate keys
        if (value) walk(value, path);
      }
    } else if (node.type === 'array') {
      for (const [i, element] of (node.children ?? []).entries()) {
        out.set(joinPath([...segments, i]), element.offset);
        walk(element, [...segments, i]);
      }
    }
  };
  walk(parseTree(text)!, []);
  return out;
}

test('paths are placed where an independent parser finds them, as byte offsets on the line the scan counted, keys with escapes and non-ASCII included; paths that are not there do not stop the others being found', () => {
  const key = fc.string({ unit: fc.constantFrom('a', 'B', '.', '"', '\\', 'é', '😀', '\n', ' '), maxLength: 6 });
  const json = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, fc.integer(), fc.string({ maxLength: 5 }), fc.constant(null), tie('object'), tie('array')),
    object: fc.dictionary(key, tie('value'), { maxKeys: 5 }),
    array: fc.array(tie('value'), { maxLength: 4 }),
  })).object;
  fc.assert(
    fc.property(json, fc.constantFrom(undefined, 2, '\t'), fc.array(fc.nat(), { maxLength: 8 }), fc.array(fc.tuple(fc.nat(), fc.constantFrom<Segment>('zz', 0, 3)), { maxLength: 4 }), (value, indent, picks, missing) => {
      const text = JSON.stringify(value, null, indent);
      const expected = expectedOffsets(text);
      const all = [...expected.keys()];
      if (all.length === 0) return;
      const present = [...new Set(picks.map((p) => all[p % all.length]!))];
      // Below a path that is there: under a scalar, an object or an array that lacks it (the scan may end early for these).
      const absent = missing.map(([p, segment]) => joinPath([...splitPath(all[p % all.length]!), segment])).filter((path) => !expected.has(path));
      const wanted = [...new Set([...absent, ...present])];
      const bytes = Buffer.from(text);
      // The offset, and the line and its start as the scan counted them, each checked against the text.
      const lines = new Map<number, [number, number]>();
      const found = locatePaths(bytes, wanted, (offset, _length, line, lineStart) => {
        lines.set(offset, [line, lineStart]);
        return { file: '', line: offset, column: 0 };
      });
      for (const path of present) {
        const offset = Buffer.byteLength(text.slice(0, expected.get(path)!));
        assert.equal(found.get(path)?.line, offset, `${path} in ${text}`);
        const before = bytes.subarray(0, offset);
        assert.deepEqual(lines.get(offset), [before.filter((b) => b === 0x0a).length + 1, before.lastIndexOf(0x0a) + 1], `line of ${path} in ${text}`);
      }
      for (const path of absent) assert.equal(found.has(path), false, `${path} in ${text}`);
    }),
    { numRuns: 500 },
  );
});

test('a path that is not there is simply not found', () => {
  const found = locatePaths(Buffer.from('{"A": {"B": [1, 2]}}'), ['A.B[5]', 'A.C', 'A.B[1]'], (offset) => ({ file: '', line: offset, column: 0 }));
  assert.deepEqual([...found.keys()], ['A.B[1]']);
});

test('a key given twice: the first is where the key is placed, and what only the second holds is still found', () => {
  const text = '{"C": {"X": 1}, "B": 2, "C": {"H": 3}, "D": 4}';
  const found = locatePaths(Buffer.from(text), ['C.H', 'C', 'D', 'B'], (offset) => ({ file: '', line: offset, column: 0 }));
  assert.deepEqual(
    Object.fromEntries([...found].map(([path, loc]) => [path, loc.line])),
    { C: text.indexOf('"C"'), B: text.indexOf('"B"'), 'C.H': text.indexOf('"H"'), D: text.indexOf('"D"') },
  );
});

/** Every number the locator hands a place, so that two walks can be compared whole. */
const everything: Place = (offset, length, line, lineStart) => ({ file: `${offset}+${length}`, line, column: offset - lineStart + 1 });

const anyJson = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.integer(), fc.string({ maxLength: 5 }), fc.constant(null), tie('object'), tie('array')),
  object: fc.dictionary(fc.string({ unit: fc.constantFrom('a', 'B', '"', '\\', 'é', '\n'), maxLength: 3 }), tie('value'), { maxKeys: 5 }),
  array: fc.array(tie('value'), { maxLength: 4 }),
}));

/** Whitespace edits that keep the text valid JSON but may break its one-item-per-line layout. */
const edits = fc.array(fc.tuple(fc.nat(), fc.constantFrom('join', 'space', 'unspace', 'blank', 'tab', 'return', 'crlf')), { maxLength: 3 });

function edited(text: string, changes: readonly [number, string][]): string {
  const lines = text.split('\n');
  for (const [at, change] of changes) {
    if (lines.length < 2) break;
    const k = 1 + (at % (lines.length - 1)); // never the first line: the element's opening bracket stays put
    if (change === 'join') lines.splice(k - 1, 2, lines[k - 1]! + lines[k]!.trimStart());
    else if (change === 'space') lines[k] = ` ${lines[k]}`;
    else if (change === 'unspace') lines[k] = lines[k]!.replace(/^ /, '');
    else if (change === 'blank') lines.splice(k, 0, '');
    else if (change === 'tab') lines[k] = lines[k]!.replace(/^ */, (spaces) => `${spaces}\t`);
    else if (change === 'return') lines[k] = lines[k]!.replace(/^ */, (spaces) => `${spaces}\r`);
    else lines[k - 1] += '\r';
  }
  return lines.join('\n');
}

test('wherever the splitter calls an element laid out, walking it a line at a time places every path exactly as the token walk does', () => {
  let walkedByLines = 0;
  fc.assert(
    fc.property(fc.oneof(anyJson.object, anyJson.array), fc.integer({ min: 1, max: 4 }), edits, fc.array(fc.nat(), { maxLength: 8 }), fc.array(fc.tuple(fc.nat(), fc.constantFrom<Segment>('zz', 0, 3)), { maxLength: 4 }), (value, indent, changes, picks, missing) => {
      // An array of one element, as `docker inspect` writes one container.
      const text = edited(JSON.stringify([value], null, indent), changes);
      const bytes = Buffer.from(text);
      const [element] = topLevelElements(bytesSource(bytes));
      if (!element?.layout) return;
      walkedByLines++;
      const own = bytes.subarray(element.start, element.end);
      const all = [...expectedOffsets(own.toString())].map(([path]) => path);
      const present = all.length ? picks.map((p) => all[p % all.length]!) : [];
      const absent = all.length ? missing.map(([p, segment]) => joinPath([...splitPath(all[p % all.length]!), segment])) : [];
      const wanted = [...new Set([...present, ...absent])];
      assert.deepEqual(locatePaths(own, wanted, everything, element.layout), locatePaths(own, wanted, everything), text);
    }),
    { numRuns: 1000 },
  );
  assert.ok(walkedByLines > 200, `${walkedByLines} of 1000 texts walked a line at a time`);
});
