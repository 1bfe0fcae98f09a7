/**
 * Hostile values spliced into a profile: whatever string a TOML file holds
 * where a path (or a peer or protocol) goes, the result is either a clean
 * one-line InputError or a profile the real parser compiles with exactly the
 * rule lines asked for, never an extra one.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { InputError } from '../../src/core/errors.js';
import { parseBaneToml } from '../../src/harden/apparmor/bane-toml.js';
import { renderProfile } from '../../src/harden/apparmor/profile.js';
import { compile, parserTest } from '../support/apparmor.js';

/** A TOML basic string holding any text: every control character escaped (TOML refuses them raw). */
const tomlString = (s: string) => `"${s.replace(/[\\"\x00-\x1f\x7f]/g, (c) => (c === '\\' || c === '"' ? `\\${c}` : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`))}"`;

/** Pieces that are valid in AppArmor globs and pieces that are attacks on the rule syntax, mixed. */
const TOKENS = [
  '/', '/', 'a', 'B', '0', '.', '-', '_', '*', '**', '?', ' ', '{', '}', ',', '[', ']', '^', 'a-z', '@{HOME}', '@{PROC}', '@{x}', '@',
  '\n', '\r', '\0', '#', ',,', '=', '+=', '"', "'", '\\', '!', '(', ')', '=', ':', '%', '+', '~', '\t', 'é', '\u2028', ' wl,', ' rwlkmix,', 'capability,', '}\n',
];
const pathLike = fc.tuple(fc.constantFrom('/', '/', '@{HOME}', '@{sys}/'), fc.array(fc.constantFrom(...TOKENS), { maxLength: 12 })).map(([start, t]) => start + t.join(''));
/** Paths of valid pieces only, so that a good share of the runs reach the accepting side (the hostile ones are mostly refused). */
const validLike = fc.tuple(fc.constantFrom('/', '@{HOME}/', '@{PROC}/'), fc.array(fc.constantFrom('a', 'B', '0', '.', '-', '_', '*', '**', '?', '/', ' ', '{a,b}'), { maxLength: 10 })).map(([start, t]) => start + t.join(''));
const anything = fc.oneof(validLike, pathLike, pathLike, fc.string({ unit: 'binary', maxLength: 30 }), fc.string({ maxLength: 30 }));

const LISTS = ['ReadOnlyPaths', 'LogOnWritePaths', 'WritablePaths', 'AllowExec', 'DenyExec'];
const filesystem = (path: string) => `Name = "h"\n[Filesystem]\n${LISTS.map((k) => `${k} = [${tomlString(path)}]`).join('\n')}\n`;
/** Lines of a profile with one plain path in each list: a hostile path accepted must give exactly as many. */
const pathBaseline = renderProfile(parseBaneToml(filesystem('/x'), 'h.toml').spec).split('\n').length;
const baseline = renderProfile(parseBaneToml('Name = "h"\n', 'h.toml').spec).split('\n').length;

/** The TOML file, or the InputError it is refused with. */
function read(toml: string) {
  try {
    return parseBaneToml(toml, 'h.toml');
  } catch (e) {
    assert.ok(e instanceof InputError, `not an InputError: ${String(e)}`);
    assert.match(e.message, /^h\.toml:\d+(:\d+)?: /);
    assert.doesNotMatch(e.message, /\n/);
    return undefined;
  }
}

parserTest('a hostile path: refused cleanly, or one compiling rule line per list it is in', () => {
  let accepted = 0;
  fc.assert(
    fc.property(anything, (path) => {
      const parsed = read(filesystem(path));
      if (!parsed) return;
      accepted++;
      const profile = renderProfile(parsed.spec);
      const r = compile(profile);
      assert.equal(r.code, 0, `parser rejected ${JSON.stringify(path)}:\n${r.said}`);
      const lines = profile.split('\n');
      assert.equal(lines.length, pathBaseline, `extra lines for ${JSON.stringify(path)}`);
      const written = path.includes(' ') ? `"${path}"` : path;
      for (const rule of [`deny ${written} wl,`, `audit ${written} w,`, `${written} w,`, `${written} ix,`, `deny ${written} mrwklx,`]) {
        assert.ok(lines.includes(`  ${rule}`), `no line ${rule}`);
      }
    }),
    { numRuns: 300 },
  );
  // The generator must reach the accepting side too, or the property proves little.
  assert.ok(accepted > 20, `only ${accepted} paths accepted`);
});

parserTest('hostile peers, protocols, capabilities and names: refused cleanly, or a profile that compiles', () => {
  const places = [
    (v: string) => `Name = "h"\n[Signal]\nPeers = [${tomlString(v)}]\n`,
    (v: string) => `Name = "h"\n[Ptrace]\nPeers = [${tomlString(v)}]\n`,
    (v: string) => `Name = "h"\n[Network]\nProtocols = [${tomlString(v)}]\nInet6 = true\n`,
    (v: string) => `Name = "h"\n[Capabilities]\nAllow = [${tomlString(v)}]\n`,
    (v: string) => `Name = ${tomlString(v)}\n`,
  ];
  const words = fc.oneof(fc.string({ unit: 'binary', maxLength: 20 }), fc.constantFrom('tcp', 'ICMP', 'unconfined', 'docker-default', 'chown', 'CAP_KILL', 'a,b', 'x y', 'x\n', 'x}', 'runc,\n  capability', 'docker-x'));
  fc.assert(
    fc.property(fc.nat(places.length - 1), words, (i, v) => {
      const parsed = read(places[i]!(v));
      if (!parsed) return;
      const profile = renderProfile(parsed.spec);
      const r = compile(profile);
      assert.equal(r.code, 0, `parser rejected ${JSON.stringify(v)}:\n${r.said}\n${profile}`);
      assert.ok(profile.split('\n').length <= baseline + 3, 'at most the rules asked for');
    }),
    { numRuns: 200 },
  );
});
