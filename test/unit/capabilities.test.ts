/** Capability masks decode as the kernel and libcap mean them: capsh is the oracle, setpriv makes real masks. */
import test, { type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import {
  CAPABILITIES, DOCKER_DEFAULT_CAPS, capMaskOf, capNames, capabilityNamed, formatCapMask, parseCapMask, type CapName,
} from '../../src/linux/capabilities.js';
import { rulesAbout } from '../../src/cli/caps-run.js';
import { RULES } from '../../src/rules/index.js';

/** A tool the test needs; skipped loudly when missing (scripts/test.sh installs it as root). */
function has(t: TestContext, tool: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${tool} || test -x /usr/sbin/${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    process.stderr.write(`\n*** SKIPPED (no ${tool}): ${t.name}\n`);
    t.skip(`${tool} is not installed (scripts/test.sh installs it as root)`);
    return false;
  }
}
const capsh = () => (execFileSync('sh', ['-c', 'command -v capsh || echo /usr/sbin/capsh'], { encoding: 'utf8' }).trim());

const bits = (n: number) => fc.bigInt({ min: 0n, max: (1n << BigInt(n)) - 1n });

/** Masks of every shape: uniform 64-bit, a few bits, the known range only, the unknown high bits. */
const masks = fc.oneof(
  bits(64),
  bits(8),
  bits(41),
  fc.nat(63).map((bit) => 1n << BigInt(bit)),
  bits(23).map((high) => high << 41n),
  fc.constantFrom(0n, 0xffffffffffffffffn, 0xa80425fbn, 0x1ffffffffffn),
);

/** How a user might write a mask: with or without 0x, upper or lower case, padded or not. */
const spell = (mask: bigint, prefix: boolean, upper: boolean, pad: boolean) => {
  const hex = pad ? formatCapMask(mask) : mask.toString(16);
  return `${prefix ? '0x' : ''}${upper ? hex.toUpperCase() : hex}`;
};

test('decoding agrees with capsh --decode over random 64-bit masks, however they are spelled', (t) => {
  if (!has(t, 'capsh')) return;
  const bin = capsh();
  fc.assert(
    fc.property(fc.array(fc.tuple(masks, fc.boolean(), fc.boolean(), fc.boolean()), { minLength: 1, maxLength: 60 }), (cases) => {
      // One capsh run decodes the whole batch: one line `0x<16 hex>=cap_a,cap_b,41` per --decode.
      const lines = execFileSync(bin, cases.map(([m]) => `--decode=${formatCapMask(m)}`), { encoding: 'utf8' }).trimEnd().split('\n');
      assert.equal(lines.length, cases.length);
      cases.forEach(([mask, prefix, upper, pad], i) => {
        const [hex, list] = lines[i]!.split('=');
        const expected = list ? list.split(',').map((n) => n.replace(/^cap_/, '')) : [];
        const parsed = parseCapMask(spell(mask, prefix, upper, pad));
        assert.equal(parsed, mask);
        assert.equal(`0x${formatCapMask(parsed!)}`, hex);
        assert.deepEqual(capNames(parsed!), expected, `mask ${formatCapMask(mask)}`);
      });
    }),
    { numRuns: 40 },
  );
});

test('anything but up to 16 hex digits (0x optional) is refused, never read as some other mask', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string({ maxLength: 24 }), fc.stringMatching(/^(0x|0X)?[0-9a-fA-F]{0,20}[g-z ,.x-]?$/)), (text) => {
      const parsed = parseCapMask(text);
      const valid = /^(?:0x)?[0-9a-f]{1,16}$/i.test(text.trim());
      assert.equal(parsed !== undefined, valid, JSON.stringify(text));
      if (parsed !== undefined) assert.equal(parsed, BigInt(`0x${text.trim().replace(/^0x/i, '')}`));
    }),
    { numRuns: 3000 },
  );
  for (const bad of ['', '0x', 'zz', '-1', '1'.repeat(17), '0x0x1', 'ff ff', '+1', '1n']) assert.equal(parseCapMask(bad), undefined, bad);
});

test('the masks of a real process with a reduced bounding set and no inheritable capabilities decode right', (t) => {
  if (process.getuid?.() !== 0) {
    process.stderr.write(`\n*** SKIPPED (not root): ${t.name}\n`);
    t.skip('setpriv --bounding-set needs root');
    return;
  }
  const status = execFileSync('setpriv', ['--bounding-set', '-all,+chown,+kill', '--inh-caps', '-all', '--', 'cat', '/proc/self/status'], { encoding: 'utf8' });
  const field = (name: string) => {
    const m = new RegExp(`^${name}:\\s*([0-9a-f]{16})$`, 'm').exec(status);
    assert.ok(m, `${name} in /proc/self/status`);
    return capNames(parseCapMask(m[1]!)!);
  };
  assert.deepEqual(field('CapBnd'), ['chown', 'kill']);
  // Root keeps in its permitted and effective sets what the bounding set allows across exec.
  assert.deepEqual(field('CapPrm'), ['chown', 'kill']);
  assert.deepEqual(field('CapEff'), ['chown', 'kill']);
  assert.deepEqual(field('CapInh'), []);
  assert.deepEqual(field('CapAmb'), []);
});

test('Docker\'s default set is the mask reference.md gives, and capability names are read in every spelling', () => {
  assert.equal(formatCapMask(capMaskOf(DOCKER_DEFAULT_CAPS as ReadonlySet<CapName>)), '00000000a80425fb');
  for (const spelling of ['SYS_ADMIN', 'sys_admin', 'CAP_SYS_ADMIN', 'cap_sys_admin', ' Sys_Admin ']) assert.equal(capabilityNamed(spelling), 'SYS_ADMIN', spelling);
  for (const bad of ['', 'CAP_', 'ALL', 'sys admin', 'CAP_CAP_SYS_ADMIN', '21', 'toString', '__proto__']) assert.equal(capabilityNamed(bad), undefined, bad);
  assert.equal(CAPABILITIES.length, 41);
});

test('the rules that mention a capability: capabilities-added only for those beyond the default set', () => {
  const names = (cap: CapName) => rulesAbout(cap, RULES).map((r) => r.name);
  assert.ok(names('SYS_ADMIN').includes('capabilities-added'));
  assert.ok(names('SYS_ADMIN').includes('privileged-container'));
  assert.ok(!names('CHOWN').includes('capabilities-added'));
  assert.ok(names('NET_RAW').includes('host-network'), 'host-network names NET_RAW in its rationale');
});
