import type { Rule } from '../core/rule.js';
import { asStrings, daemonConfig, daemonSubject, elementOf, given } from './support/daemon.js';
import { quoted } from '../reporters/sanitize.js';

/** dockerd's own insecure entries: loopback, which it always trusts (docker-bench wrongly flags these). */
const DEFAULTS = new Set(['127.0.0.0/8', '::1/128']);

/**
 * CIS 2.5. The registries the engine treats as insecure: /info's
 * RegistryConfig (the running engine's word: CIDRs, and registries whose
 * IndexConfigs entry is not Secure) together with insecure-registries as
 * given (a change not yet reloaded is there), minus dockerd's loopback
 * default. Each one is a finding, at its own element in daemon.json or its
 * own --insecure-registry argument.
 */
export const insecureRegistry: Rule = {
  id: 'BH054',
  name: 'insecure-registry',
  severity: 'high',
  category: 'daemon',
  references: ['CIS-2.5'],
  aliases: [],
  docs: {
    summary: 'The Docker daemon pulls from and pushes to a registry without verifying its TLS certificate.',
    rationale:
      'An insecure registry is reached over plain HTTP, or over HTTPS without checking the certificate: anyone on the path can serve their own images under trusted names, or read what is pushed.',
    remediation: {
      docker: 'remove the registry from --insecure-registry and from "insecure-registries" in /etc/docker/daemon.json; give the registry a certificate, or trust its CA in /etc/docker/certs.d/<registry>/ca.crt',
    },
  },
  needs: ['daemon-config'],
  check(ctx) {
    const daemon = daemonConfig(ctx.workload);
    if (!daemon) return;
    const subject = daemonSubject(daemon);
    const configured = given(daemon, 'insecure-registries', asStrings)?.value ?? [];
    const running = daemon.info?.insecureRegistries;
    const seen = new Set<string>();
    configured.forEach((entry, i) => {
      const key = canonical(entry);
      if (DEFAULTS.has(key) || seen.has(key)) return;
      seen.add(key);
      const where = elementOf(daemon, 'insecure-registries', i)!;
      const pending = running !== undefined && !running.some((r) => canonical(r) === key) ? '; not yet in effect: GET /info does not list it' : '';
      ctx.report({ subject, at: where.at, message: `registry ${quoted(entry)} is insecure (${where.source}${pending})` });
    });
    for (const entry of running ?? []) {
      const key = canonical(entry);
      if (DEFAULTS.has(key) || seen.has(key)) continue;
      seen.add(key);
      ctx.report({ subject, at: { path: 'RegistryConfig' }, message: `registry ${quoted(entry)} is insecure (GET /info RegistryConfig)` });
    }
  },
};

/** One spelling per entry: an IPv4 CIDR by its network (10.1.2.3/16 is 10.1.0.0/16, as dockerd stores it), other names as written. */
function canonical(entry: string): string {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(entry.trim());
  if (!m) return entry.trim();
  const bits = Number(m[5]);
  const octets = m.slice(1, 5).map(Number);
  if (bits > 32 || octets.some((o) => o > 255)) return entry.trim();
  const ip = octets.reduce((a, o) => a * 256 + o, 0);
  const network = bits === 0 ? 0 : ip - (ip % 2 ** (32 - bits));
  return `${[24, 16, 8, 0].map((s) => Math.floor(network / 2 ** s) % 256).join('.')}/${bits}`;
}
