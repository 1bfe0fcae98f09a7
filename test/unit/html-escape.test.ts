/** The HTML report's escaping: whatever a name holds, it cannot open a tag, leave an attribute or reach the page as a control character. */
import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { attr, text } from '../../src/reporters/html-escape.js';
import { plain, quoted } from '../../src/reporters/sanitize.js';

const unescape = (s: string) => s.replace(/&(lt|gt|quot|#39|#96|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", '#96': '`', amp: '&' })[e]!);

test('text and attr escape markup and keep what is said, less the control characters', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary' }), (s) => {
      const t = text(s);
      const a = attr(s);
      assert.doesNotMatch(t, /[<>]/);
      assert.doesNotMatch(a, /[<>"'`\n\x00-\x1f\x7f-\x9f]/);
      assert.doesNotMatch(t, /&(?!(lt|gt|amp);)/);
      assert.equal(unescape(t), plain(s, true));
      assert.equal(unescape(a), plain(s));
    }),
    { numRuns: 2000 },
  );
});

test('a name built to break out is text', () => {
  assert.equal(text('<img src=x onerror=alert(1)>'), '&lt;img src=x onerror=alert(1)&gt;');
  assert.equal(attr('x" onmouseover="alert(1)'), 'x&quot; onmouseover=&quot;alert(1)');
  assert.equal(text('\x1b[31mred\x1b[0m &amp;'), 'red &amp;amp;');
});

test('quoted: a JSON string of the text with no control character in it, which parses back to the text', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: fc.integer({ min: 0, max: 0xa0 }).map((c) => String.fromCharCode(c)) })), (s) => {
      const q = quoted(s);
      assert.doesNotMatch(q, /[\x00-\x1f\x7f-\x9f]/);
      assert.equal(JSON.parse(q), s);
    }),
    { numRuns: 2000 },
  );
  assert.equal(quoted('a\n\x7f\x9b"'), '"a\\n\\u007f\\u009b\\""');
  assert.equal(quoted('a\u2028b\u2029'), '"a\\u2028b\\u2029"');
});

test('quoted with max: the text cut to max characters and … before escaping (no escape split), the pairs of a surrogate kept together; quotes: false leaves them off', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary' }), fc.integer({ min: 1, max: 40 }), (s, max) => {
      const back: string = JSON.parse(quoted(s, { max }));
      if (s.length <= max) assert.equal(back, s);
      else {
        assert.ok(back.endsWith('…') && s.startsWith(back.slice(0, -1)), back);
        assert.ok(back.length - 1 === max || back.length - 1 === max - 1, `${back.length - 1} of ${max}`);
        assert.doesNotMatch(back.slice(0, -1), /[\ud800-\udbff]$/, 'no high surrogate left alone at the cut');
      }
      assert.equal(quoted(s, { max, quotes: false }), quoted(s, { max }).slice(1, -1));
    }),
    { numRuns: 2000 },
  );
  assert.equal(quoted('\x9b'.repeat(5), { max: 3 }), '"\\u009b\\u009b\\u009b…"');
  assert.equal(quoted('ab\u{1F600}', { max: 3 }), '"ab…"');
  assert.equal(quoted('short', { max: 5 }), '"short"');
});
