import test from 'node:test';
import assert from 'node:assert/strict';
import { own } from '../../src/core/own.js';
import { DANGEROUS_CAPS } from '../../src/linux/capabilities.js';

test("a table answers only its own keys, not Object's", () => {
  assert.equal(own(DANGEROUS_CAPS, 'SYS_ADMIN') !== undefined, true);
  for (const key of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']) assert.equal(own(DANGEROUS_CAPS, key), undefined, key);
});
