/**
 * Paths with a query over ssh: docker-modem writes the query itself from
 * `options` after a path ending in `?`, and cuts the last character of any
 * other path holding one (`/containers/json?all=1` went out as `all=`).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import Modem from 'docker-modem';
import { modemPath } from '../../src/inputs/engine/client.js';

test('a query is handed to docker-modem as options, and it writes it back whole', () => {
  const modem = new Modem({ socketPath: '/nonexistent' });
  const cases: [string, string][] = [
    ['/images/get?names=sha256%3Aabc&names=img%3A1', 'names=sha256%3Aabc&names=img%3A1'],
    ['/containers/json?all=1', 'all=1'],
  ];
  for (const [path, query] of cases) {
    const dial = modemPath(path);
    assert.equal(dial.path, path.slice(0, path.indexOf('?') + 1));
    assert.equal((modem as unknown as { buildQuerystring(o: unknown): string }).buildQuerystring(dial.options!._query), query);
  }
  assert.deepEqual(modemPath('/version'), { path: '/version' });
});
