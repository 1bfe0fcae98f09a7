/** bulkhead fix on generated compose files: whatever mix of keys, styles and comments a service has, the fix parses, clears what it fixes, and is idempotent. */
import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { fixText } from '../../src/harden/fix/fix-file.js';
import { DEFAULT_MEMORY_MIB, DEFAULT_PIDS_LIMIT } from '../../src/harden/fix/fix-options.js';
import { auditText } from '../../src/inputs/scan-file.js';
import type { ScanIO } from '../../src/inputs/scan-result.js';

const io: ScanIO = { readText: () => undefined, env: {} };

/** One optional line (or block) of a service, in a few spellings each. */
const line = (options: readonly string[]) => fc.option(fc.constantFrom(...options), { nil: undefined });
const service = fc.record({
  // Keys written with no value (empty, `~`, `null`) are as good as missing.
  readOnly: line(['read_only: false', 'read_only: true', 'read_only: "false"  # on purpose', 'read_only:', 'read_only: ~  # unset', 'read_only: # later']),
  securityOpt: line(['security_opt: []', 'security_opt: [label=disable]', 'security_opt:\n  - apparmor=docker-default', 'security_opt:\n  - no-new-privileges:false', 'security_opt:\n- seccomp=unconfined', 'security_opt:', 'security_opt: null']),
  capDrop: line(['cap_drop: [ALL]', 'cap_drop:\n  - NET_RAW', 'cap_drop: []', 'cap_drop: ~']),
  capAdd: line(['cap_add: [NET_BIND_SERVICE]', 'cap_add:\n  - SYS_ADMIN   # needed?', 'cap_add:']),
  tmpfs: line(['tmpfs: /run', 'tmpfs:\n  - /tmp', 'tmpfs:']),
  merge: fc.boolean(),
  pids: line(['pids_limit: 100', 'pids_limit: -1']),
  memory: line(['mem_limit: 256m', 'deploy:\n  resources:\n    limits:\n      memory: 1g']),
  comment: line(['# a comment line', '# ports:\n#   - "80:80"']),
  privileged: line(['privileged: true', 'privileged: false']),
  image: fc.constantFrom('nginx:1.27', 'postgres:16', 'ghcr.io/acme/app:1.0', 'busybox:1.36'),
});
type Service = typeof service extends fc.Arbitrary<infer T> ? T : never;

/** A compose file of the services, indented by `indent` (2 or 4), with LF or CRLF line endings. */
function composeOf(services: readonly Service[], indent: number, crlf: boolean): string {
  // An anchor some services merge: its values are fixed in each service, the anchor left as it is.
  const lines = ['# generated', 'x-base: &base', '  cap_add: [SYS_ADMIN, CHOWN]', '  security_opt: [apparmor=docker-default]', 'services:'];
  services.forEach((s, i) => {
    const pad = ' '.repeat(indent);
    lines.push(`${pad}svc${i}:`, `${pad}${pad}image: ${s.image}`);
    if (s.merge) lines.push(`${pad}${pad}<<: *base`);
    for (const key of ['readOnly', 'securityOpt', 'capDrop', 'capAdd', 'tmpfs', 'pids', 'memory', 'comment', 'privileged'] as const) {
      const v = s[key];
      if (v !== undefined) for (const l of v.split('\n')) lines.push(`${pad}${pad}${l}`);
    }
    lines.push('');
  });
  const text = lines.join('\n');
  return crlf ? text.replace(/\n/g, '\r\n') : text;
}

test('generated compose files: the fix parses, is idempotent, keeps every comment and clears the rules it fixes', () => {
  fc.assert(
    fc.property(fc.array(service, { minLength: 1, maxLength: 3 }), fc.constantFrom(2, 4), fc.boolean(), fc.boolean(), (services, indent, crlf, aggressive) => {
      const text = composeOf(services, indent, crlf);
      const options = { aggressive, pidsLimit: DEFAULT_PIDS_LIMIT, memoryMiB: DEFAULT_MEMORY_MIB };
      const r = fixText(text, 'compose.yaml', io, options);
      const docs = parseAllDocuments(r.after);
      assert.ok(Array.isArray(docs) && docs.every((d) => d.errors.length === 0), r.after);
      assert.equal(fixText(r.after, 'compose.yaml', io, options).after, r.after, 'idempotent');
      // Every comment stays, but one on a line --aggressive removes (an added SYS_ADMIN goes with its comment).
      for (const l of text.split(/\r?\n/)) {
        const at = l.indexOf('#');
        if (at < 0 || (aggressive && /SYS_ADMIN|privileged/.test(l))) continue;
        assert.ok(r.after.includes(l.slice(at)), `comment kept: ${l}`);
      }
      const rules = auditText(r.after, 'compose.yaml', io).findings.map((f) => f.rule.name);
      for (const rule of ['writable-root-filesystem', 'no-pids-limit', 'no-memory-limit']) assert.ok(!rules.includes(rule), `${rule} cleared in\n${r.after}`);
      if (aggressive) assert.ok(!rules.includes('privileged-container') && !rules.includes('capabilities-added'), `cleared in\n${r.after}`);
      assert.ok(!rules.includes('no-new-privileges-unset'), `no-new-privileges-unset cleared in\n${r.after}`);
      assert.ok(r.after.startsWith(text.slice(0, text.indexOf('services:'))), 'the anchor is left as it is');
      if (text.includes('\r\n')) assert.doesNotMatch(r.after, /[^\r]\n/);
    }),
    { numRuns: 300 },
  );
});
