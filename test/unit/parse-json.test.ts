/** parseJsonFile: JSON as JSON.parse reads it, or one line naming file, line, column, what and why. */
import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { InputError } from '../../src/core/errors.js';
import { parseJsonFile } from '../../src/inputs/json/parse-json.js';

const failure = (text: string): string => {
  try {
    parseJsonFile(text, 'f.json', 'not a report');
  } catch (e) {
    assert.ok(e instanceof InputError);
    return e.message;
  }
  assert.fail('parsed');
};

test('valid JSON is what JSON.parse gives', () => {
  fc.assert(fc.property(fc.jsonValue(), (v) => assert.deepEqual(parseJsonFile(JSON.stringify(v, null, 2), 'f.json'), JSON.parse(JSON.stringify(v)))));
});

test('malformed JSON: the line and column of the first error, what the file should have been, and why', () => {
  assert.equal(failure('{\n  "a": 1,\n  "b": [,]\n}'), 'f.json:3:9: not a report: malformed JSON (ValueExpected)');
  assert.equal(failure('{'), 'f.json:1:2: not a report: malformed JSON (CloseBraceExpected)');
  assert.equal(failure(''), 'f.json:1:1: not a report: malformed JSON (ValueExpected)');
  assert.equal(failure('{"a": 1}\n\n 7'), 'f.json:3:2: not a report: malformed JSON (EndOfFileExpected)');
  assert.match(failure(`${'['.repeat(200_000)}`), /^f\.json:1:1: not a report: malformed JSON \(nested too deeply to say where\)$/);
  // The input is not echoed: an escape sequence in it stays out of the message.
  assert.doesNotMatch(failure('\x1b[31m{'), /\x1b/);
});
