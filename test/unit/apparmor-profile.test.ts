/** bane TOML → AppArmor profile: each key's rules, bane's nginx sample, and every profile compiled by the real apparmor_parser. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBaneToml } from '../../src/harden/apparmor/bane-toml.js';
import { renderProfile } from '../../src/harden/apparmor/profile.js';
import { INET_PROTOCOLS, INET6_PROTOCOLS } from '../../src/harden/apparmor/spec.js';
import { CAPABILITIES } from '../../src/linux/capabilities.js';
import { compile, parserTest } from '../support/apparmor.js';
import { fixturesDir } from '../support/env.js';

const generate = (toml: string) => renderProfile(parseBaneToml(toml, 'p.toml').spec);
/** The rule lines of a profile, trimmed, comments and blank lines left out. */
const rules = (profile: string) => profile.split('\n').map((l) => l.replace(/#(?!include).*$/, '').trim()).filter(Boolean);

/** Asserts the parser compiles the profile and returns its rules. */
function compiled(profile: string): string[] {
  const r = compile(profile);
  assert.equal(r.code, 0, `apparmor_parser rejected:\n${r.said}\n${profile}`);
  return rules(profile);
}

parserTest('bane\'s nginx sample: the rules bane renders, in its order, and the parser compiles them', () => {
  const toml = readFileSync(join(fixturesDir, 'apparmor', 'nginx-sample.toml'), 'utf8');
  const { spec, warnings } = parseBaneToml(toml, 'nginx-sample.toml');
  assert.deepEqual(warnings, []);
  const r = compiled(renderProfile(spec));
  assert.equal(r[0], '#include <tunables/global>');
  assert.equal(r[1], 'profile docker-nginx-sample flags=(attach_disconnected,mediate_deleted) {');
  assert.equal(r[2], '#include <abstractions/base>');
  const from = (first: string, n: number) => r.slice(r.indexOf(first), r.indexOf(first) + n);
  assert.deepEqual(from('network inet tcp,', 7), ['network inet tcp,', 'network inet udp,', 'network inet icmp,', 'deny network raw,', 'deny network packet,', 'file,', 'umount,']);
  const systemDirs = ['bin', 'boot', 'dev', 'etc', 'home', 'lib', 'lib64', 'media', 'mnt', 'opt', 'proc', 'root', 'sbin', 'srv', 'tmp', 'sys', 'usr'];
  assert.deepEqual(from('deny /bin/** wl,', 17 + 6), [
    ...systemDirs.map((d) => `deny /${d}/** wl,`),
    'audit /** w,', '/var/run/nginx.pid w,', '/usr/sbin/nginx ix,',
    'deny /bin/dash mrwklx,', 'deny /bin/sh mrwklx,', 'deny /usr/bin/top mrwklx,',
  ]);
  assert.deepEqual(r.filter((l) => l.startsWith('capability')), ['chown', 'dac_override', 'setuid', 'setgid', 'net_bind_service'].map((c) => `capability ${c},`));
  assert.ok(!r.includes('network,'), 'Protocols limit the network');
  assert.deepEqual(r.slice(-17), [
    'deny @{PROC}/* w,',
    'deny @{PROC}/{[^1-9],[^1-9][^0-9],[^1-9s][^0-9y][^0-9s],[^1-9][^0-9][^0-9][^0-9]*}/** w,',
    'deny @{PROC}/sys/[^k]** w,',
    'deny @{PROC}/sys/kernel/{?,??,[^s][^h][^m]**} w,',
    'deny @{PROC}/sysrq-trigger rwklx,', 'deny @{PROC}/mem rwklx,', 'deny @{PROC}/kmem rwklx,', 'deny @{PROC}/kcore rwklx,',
    'deny mount,',
    'deny /sys/[^f]*/** wklx,', 'deny /sys/f[^s]*/** wklx,', 'deny /sys/fs/[^c]*/** wklx,', 'deny /sys/fs/c[^g]*/** wklx,', 'deny /sys/fs/cg[^r]*/** wklx,',
    'deny /sys/firmware/efi/efivars/** rwklx,', 'deny /sys/kernel/security/** rwklx,',
    '}',
  ]);
});

/** Each key alone: the lines it must add (and, where it says, must not). */
const KEYS: { name: string; toml: string; has: string[]; hasNot?: string[] }[] = [
  { name: 'ReadOnlyPaths', toml: '[Filesystem]\nReadOnlyPaths = ["/etc/**"]', has: ['deny /etc/** wl,'] },
  { name: 'LogOnWritePaths', toml: '[Filesystem]\nLogOnWritePaths = ["/var/log/**"]', has: ['audit /var/log/** w,'] },
  { name: 'WritablePaths', toml: '[Filesystem]\nWritablePaths = ["/run/app.pid"]', has: ['/run/app.pid w,'] },
  { name: 'AllowExec', toml: '[Filesystem]\nAllowExec = ["/usr/{bin,sbin}/app"]', has: ['/usr/{bin,sbin}/app ix,'] },
  { name: 'DenyExec', toml: '[Filesystem]\nDenyExec = ["/bin/*sh"]', has: ['deny /bin/*sh mrwklx,'] },
  { name: 'a path with a space is quoted', toml: '[Filesystem]\nWritablePaths = ["/data/my files/**"]', has: ['"/data/my files/**" w,'] },
  { name: 'a path with a tunable variable', toml: '[Filesystem]\nReadOnlyPaths = ["@{HOME}/.ssh/**", "@{PROC}/[0-9]*/attr/**"]', has: ['deny @{HOME}/.ssh/** wl,', 'deny @{PROC}/[0-9]*/attr/** wl,'] },
  { name: 'no capabilities: none allowed', toml: '', has: [], hasNot: ['capability,'] },
  { name: 'Capabilities Allow, in any spelling bane or the kernel uses', toml: '[Capabilities]\nAllow = ["chown", "CAP_NET_ADMIN", "SYS_PTRACE"]', has: ['capability chown,', 'capability net_admin,', 'capability sys_ptrace,'], hasNot: ['capability,'] },
  { name: 'Capabilities Deny: all but those', toml: '[Capabilities]\nDeny = ["sys_admin", "sys_module"]', has: ['capability,', 'deny capability sys_admin,', 'deny capability sys_module,'] },
  { name: 'no Network: every family, raw and packet denied', toml: '', has: ['network,', 'deny network raw,', 'deny network packet,'] },
  { name: 'Network Raw and Packet true: allowed', toml: '[Network]\nRaw = true\nPacket = true', has: ['network,'], hasNot: ['deny network raw,', 'deny network packet,'] },
  { name: 'Network Protocols', toml: '[Network]\nProtocols = ["TCP", "udp"]', has: ['network inet tcp,', 'network inet udp,'], hasNot: ['network,', 'network inet6 tcp,'] },
  { name: 'Inet6 = true mirrors Protocols but icmp', toml: '[Network]\nProtocols = ["tcp", "icmp"]\nInet6 = true', has: ['network inet tcp,', 'network inet icmp,', 'network inet6 tcp,'], hasNot: ['network inet6 icmp,'] },
  { name: 'Inet6 as a list', toml: '[Network]\nProtocols = ["tcp", "udp"]\nInet6 = ["udp"]', has: ['network inet6 udp,'], hasNot: ['network inet6 tcp,'] },
  { name: 'Inet6 = false', toml: '[Network]\nProtocols = ["tcp"]\nInet6 = false', has: ['network inet tcp,'], hasNot: ['network inet6 tcp,'] },
  { name: 'Ptrace Peers', toml: '[Ptrace]\nPeers = ["docker-x"]', has: ['ptrace (trace,read) peer=docker-x,'] },
  { name: 'Signal Peers', toml: '[Signal]\nPeers = ["unconfined", "runc"]', has: ['signal (receive) peer=unconfined,', 'signal (receive) peer=runc,'] },
];

for (const k of KEYS) {
  parserTest(`key ${k.name}: its rules, compiled`, () => {
    const r = compiled(generate(`Name = "x"\n${k.toml}\n`));
    for (const line of k.has) assert.ok(r.includes(line), `missing ${line}:\n${r.join('\n')}`);
    for (const line of k.hasNot ?? []) assert.ok(!r.includes(line), `unexpected ${line}`);
  });
}

test('Name gets docker- once, as bane does', () => {
  assert.equal(parseBaneToml('Name = "web"', 'p').spec.name, 'docker-web');
  assert.equal(parseBaneToml('Name = "docker-web"', 'p').spec.name, 'docker-web');
});

test('keys match without regard to case, as Go\'s BurntSushi toml matches them for bane', () => {
  const { spec } = parseBaneToml('name = "x"\n[filesystem]\nreadonlypaths = ["/etc/**"]\n[CAPABILITIES]\nallow = ["kill"]\n[network]\nRAW = true', 'p');
  assert.deepEqual(spec.readOnlyPaths, ['/etc/**']);
  assert.deepEqual(spec.capabilities, { kind: 'allow', names: ['KILL'] });
  assert.equal(spec.network.raw, true);
});

test('Allow beside Deny: ignored as bane ignores it, with a warning that names the line', () => {
  const { spec, warnings } = parseBaneToml('Name = "x"\n[Capabilities]\nAllow = ["chown"]\nDeny = ["sys_admin"]', 'p.toml');
  assert.deepEqual(spec.capabilities, { kind: 'deny', names: ['SYS_ADMIN'] });
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /^p\.toml:3: \[Capabilities\] Allow is ignored because Deny is given/);
});

test('Inet6 = true with icmp alone: nothing to mirror, said in a warning', () => {
  const { spec, warnings } = parseBaneToml('Name = "x"\n[Network]\nProtocols = ["icmp"]\nInet6 = true', 'p.toml');
  assert.deepEqual(spec.network, { kind: 'inet', raw: false, packet: false, inet: ['icmp'], inet6: [] });
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /^p\.toml:4: Inet6 = true adds nothing/);
});

parserTest('every capability in the table, every protocol for inet and inet6: the parser knows them all', () => {
  const caps = CAPABILITIES.map((c) => `"${c.toLowerCase()}"`).join(', ');
  const protos = (list: readonly string[]) => list.map((p) => `"${p}"`).join(', ');
  compiled(generate(`Name = "all"\n[Capabilities]\nAllow = [${caps}]\n[Network]\nProtocols = [${protos(INET_PROTOCOLS)}]\nInet6 = [${protos(INET6_PROTOCOLS)}]`));
  compiled(generate(`Name = "all"\n[Capabilities]\nDeny = [${caps}]`));
});

parserTest('without tunables/global and abstractions/base on the host (bane\'s fallback), the profile still compiles', () => {
  const { spec } = parseBaneToml(readFileSync(join(fixturesDir, 'apparmor', 'nginx-sample.toml'), 'utf8'), 'p');
  const profile = renderProfile(spec, { tunables: false, base: false });
  const r = compiled(profile);
  assert.equal(r[0], '@{PROC}=/proc/');
  assert.ok(!r.some((l) => l.startsWith('#include')));
});

/** A TOML file and the line its error must name. */
const BAD: { name: string; toml: string; line: number; says: RegExp }[] = [
  { name: 'TOML syntax', toml: 'Name = "x"\n[Filesystem]\nReadOnlyPaths = [\n  "/a",\n  oops\n]', line: 5, says: /^p\.toml:5:\d+: / },
  { name: 'unknown top-level key', toml: 'Name = "x"\n\nProfile = "y"', line: 3, says: /unknown key "Profile"/ },
  { name: 'unknown key in a table (a typo)', toml: 'Name = "x"\n[Filesystem]\nReadOnlyPath = ["/etc/**"]', line: 3, says: /unknown key "ReadOnlyPath" \(\[Filesystem\] knows ReadOnlyPaths/ },
  { name: 'unknown table', toml: 'Name = "x"\n[Files]\nReadOnlyPaths = ["/etc/**"]', line: 2, says: /unknown key "Files"/ },
  { name: 'bane\'s Imports, which would splice includes', toml: 'Name = "x"\nImports = ["#include <x>"]', line: 2, says: /unknown key "Imports" \(bane fills it in itself/ },
  { name: 'a string where a list is wanted', toml: 'Name = "x"\n[Filesystem]\n# comment\nWritablePaths = "/tmp"', line: 4, says: /WritablePaths must be a list of strings/ },
  { name: 'a number in a list', toml: 'Name = "x"\n[Capabilities]\nAllow = ["chown",\n  3]', line: 3, says: /Allow\[1\] must be a string, not a number/ },
  { name: 'a list where a boolean is wanted', toml: 'Name = "x"\n[Network]\nRaw = ["yes"]', line: 3, says: /Raw must be true or false/ },
  { name: 'a value where a table is wanted', toml: 'Name = "x"\nNetwork = true', line: 2, says: /Network must be a table/ },
  { name: 'one key twice in different cases', toml: 'Name = "x"\n[Network]\nRaw = true\nraw = false', line: 4, says: /Raw is given twice/ },
  { name: 'no Name', toml: '[Network]\nRaw = true', line: 1, says: /no Name/ },
  { name: 'a Name with a slash', toml: 'Name = "../x"', line: 1, says: /Name "\.\.\/x" must be letters/ },
  { name: 'a Name with a newline', toml: 'Name = "x {\\n  capability,"', line: 1, says: /Name "x \{\\n  capability," must be/ },
  { name: 'an unknown capability', toml: 'Name = "x"\n[Capabilities]\nAllow = [\n  "chown",\n  "sys_everything",\n]', line: 5, says: /unknown capability "sys_everything"/ },
  { name: 'an unknown protocol', toml: 'Name = "x"\n[Network]\nProtocols = ["tcp", "sctp"]', line: 3, says: /unknown protocol "sctp"/ },
  { name: 'icmp for IPv6', toml: 'Name = "x"\n[Network]\nProtocols = ["tcp"]\nInet6 = ["icmp"]', line: 4, says: /unknown protocol "icmp"/ },
  { name: 'Inet6 without Protocols', toml: 'Name = "x"\n[Network]\nInet6 = true', line: 3, says: /without Protocols the profile allows every network family/ },
  { name: 'a relative path', toml: 'Name = "x"\n[Filesystem]\nDenyExec = ["bin/sh"]', line: 3, says: /"bin\/sh" refused: not absolute/ },
  { name: 'a path that would end the rule and add one', toml: 'Name = "x"\n[Filesystem]\nReadOnlyPaths = [\n  "/etc/**",\n  "/x wl,\\n  /** rwlkmix",\n]', line: 5, says: /refused: a comma outside \{alternatives\}/ },
  { name: 'a path with a newline', toml: 'Name = "x"\n[Filesystem]\nWritablePaths = ["/x\\n/y"]', line: 3, says: /U\+000A \(a control character\)/ },
  { name: 'a path with a quote', toml: 'Name = "x"\n[Filesystem]\nWritablePaths = [\'/x" w, /** ix, "/y\']', line: 3, says: /the character '"'/ },
  { name: 'a path with a comment', toml: 'Name = "x"\n[Filesystem]\nWritablePaths = ["/x#y"]', line: 3, says: /the character '#'/ },
  { name: 'a path with a brace left open', toml: 'Name = "x"\n[Filesystem]\nWritablePaths = ["/x{a,b"]', line: 3, says: /an unclosed \{/ },
  { name: 'an unknown variable', toml: 'Name = "x"\n[Filesystem]\nWritablePaths = ["@{NOPE}/x"]', line: 3, says: /unknown variable @\{NOPE/ },
  // Found by the property test (apparmor-hostile): the class and the variable are shown escaped, so the message stays one line.
  { name: 'a character class holding a newline', toml: 'Name = "x"\n[Filesystem]\nWritablePaths = ["/[\\n]"]', line: 3, says: /a character class \[\\n\] that is not/ },
  { name: 'a character class holding an escape sequence', toml: 'Name = "x"\n[Filesystem]\nWritablePaths = ["/[\\u001b[31m]"]', line: 3, says: /a character class \[\\u001b\[31m\] that is not/ },
  { name: 'a character class holding DEL and a C1 control', toml: 'Name = "x"\n[Filesystem]\nWritablePaths = ["/[a\\u007f\\u009b]"]', line: 3, says: /a character class \[a\\u007f\\u009b\] that is not/ },
  { name: 'a variable name holding a carriage return', toml: 'Name = "x"\n[Filesystem]\nWritablePaths = ["@{a\\rb}/x"]', line: 3, says: /unknown variable @\{a\\rb\}/ },
  { name: 'a long unknown variable name, cut', toml: `Name = "x"\n[Filesystem]\nWritablePaths = ["@{${'V'.repeat(50)}}/x"]`, line: 3, says: new RegExp(`unknown variable @\\{${'V'.repeat(40)}…\\} \\(known`) },
  { name: 'a long unknown capability, cut before its escapes', toml: `Name = "x"\n[Capabilities]\nAllow = ["${'\\u009b'.repeat(70)}"]`, line: 3, says: new RegExp(`unknown capability "${'\\\\u009b'.repeat(60)}…" \\(run`) },
  { name: 'a peer with a space', toml: 'Name = "x"\n[Signal]\nPeers = ["unconfined, signal"]', line: 3, says: /is not a profile name/ },
  { name: 'a dotted key in the wrong table', toml: 'Name = "x"\nFilesystem.ReadOnly = ["/a"]', line: 2, says: /unknown key "ReadOnly"/ },
];

for (const b of BAD) {
  test(`refused: ${b.name} (InputError naming file and line)`, () => {
    assert.throws(() => parseBaneToml(b.toml, 'p.toml'), (e: Error & { exitCode?: number }) => {
      assert.equal(e.exitCode, 2, e.message);
      assert.ok(e.message.startsWith(`p.toml:${b.line}:`), `wanted line ${b.line}: ${e.message}`);
      assert.match(e.message, b.says);
      assert.doesNotMatch(e.message, /[\x00-\x1f\x7f-\x9f]/, 'one clean line');
      return true;
    });
  });
}

parserTest('the README\'s example file generates a profile the parser compiles, with bulkhead\'s own keys\' rules', () => {
  const readme = readFileSync(join(fixturesDir, '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### AppArmor profiles'));
  const toml = /```toml\n([\s\S]*?)```/.exec(section)![1]!;
  const r = compiled(generate(toml));
  for (const line of ['network inet6 tcp,', 'signal (receive) peer=unconfined,', 'ptrace (trace,read) peer=docker-nginx,', 'capability net_bind_service,']) {
    assert.ok(r.includes(line), `missing ${line}`);
  }
});
