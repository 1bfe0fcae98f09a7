/** decodeCapMask against capsh --decode (libcap2-bin) as the oracle, over random masks; garbage is refused. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { CapMaskError, decodeCapMask } from '../../src/linux/capabilities.js';

const hasCapsh = (() => {
  try {
    execFileSync('capsh', ['--decode=0x1'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

function capsh(mask: string): string[] {
  // `0x0000000000000001=cap_chown,cap_kill`
  const out = execFileSync('capsh', [`--decode=0x${mask}`], { encoding: 'utf8' }).trim();
  const names = out.slice(out.indexOf('=') + 1);
  return names === '' ? [] : names.split(',').map((n) => n.replace(/^cap_/, ''));
}

test('every random mask decodes as capsh --decode does', { skip: hasCapsh ? false : 'capsh (libcap2-bin) not installed' }, () => {
  const mask = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map((n) => n.toString(16).padStart(16, '0'));
  fc.assert(
    fc.property(mask, (m) => {
      assert.deepEqual(decodeCapMask(m), capsh(m));
    }),
    { numRuns: 300 },
  );
});

test('masks as /proc writes them, with 0x, and Docker\'s default', () => {
  assert.deepEqual(decodeCapMask('0000000000000000'), []);
  assert.deepEqual(decodeCapMask('0x1'), ['chown']);
  assert.deepEqual(decodeCapMask('00000000a80425fb'), [
    'chown', 'dac_override', 'fowner', 'fsetid', 'kill', 'setgid', 'setuid', 'setpcap', 'net_bind_service', 'net_raw', 'sys_chroot', 'mknod', 'audit_write', 'setfcap',
  ]);
  assert.deepEqual(decodeCapMask('0000030000000000'), ['checkpoint_restore', '41']);
});

test('garbage is refused with one line, never decoded', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 30 }), (s) => {
      const digits = s.trim().replace(/^0x/i, '');
      if (/^[0-9a-f]{1,16}$/i.test(digits)) return;
      assert.throws(() => decodeCapMask(s), (e: unknown) => e instanceof CapMaskError && !e.message.includes('\n'));
    }),
    { numRuns: 1000 },
  );
  for (const bad of ['', '0x', 'zz', '0x12345678901234567', '-1', '1 2']) assert.throws(() => decodeCapMask(bad), CapMaskError);
});
