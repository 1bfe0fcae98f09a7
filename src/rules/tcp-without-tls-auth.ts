import type { Rule } from '../core/rule.js';
import type { Severity } from '../core/severity.js';
import { parseDaemonHost } from '../inputs/host/daemon-hosts.js';
import { asBool, asStrings, daemonConfig, daemonSubject, elementOf, given } from './support/daemon.js';
import { quoted } from '../reporters/sanitize.js';

/**
 * CIS 2.7, only for a daemon listening on TCP (a unix socket or fd:// needs
 * no TLS; docker-bench's wording suggests otherwise). The hosts are -H or
 * daemon.json `hosts`; TLS is on when tls or tlsverify is set (tlsverify set
 * at all turns TLS on, as in dockerd), and clients are authenticated only
 * with tlsverify true. Listeners systemd hands over (fd://) are in
 * docker.socket, outside the daemon's configuration: not judged here.
 */
export const tcpWithoutTlsAuth: Rule = {
  id: 'BH056',
  name: 'tcp-without-tls-auth',
  severity: 'critical',
  category: 'daemon',
  references: ['CIS-2.7'],
  aliases: [],
  docs: {
    summary: 'The Docker daemon listens on TCP without requiring TLS client certificates.',
    rationale:
      'The Docker API is root on the host. On a TCP port without TLS client authentication, anyone who can reach the port (or a web page a user on the host opens, for localhost) can start a privileged container and take the machine.',
    remediation: {
      docker: 'dockerd --tlsverify --tlscacert=/etc/docker/ca.pem --tlscert=/etc/docker/server-cert.pem --tlskey=/etc/docker/server-key.pem -H tcp://0.0.0.0:2376 (or "tlsverify": true and the three paths in /etc/docker/daemon.json); or listen on the unix socket only and use ssh:// to reach it',
    },
  },
  needs: ['daemon-config'],
  check(ctx) {
    const daemon = daemonConfig(ctx.workload);
    if (!daemon) return;
    const hosts = given(daemon, 'hosts', asStrings)?.value ?? [];
    const tlsverify = given(daemon, 'tlsverify', asBool);
    const tls = given(daemon, 'tls', asBool);
    // Not given anywhere, with the command line or the file unknown: whether TLS is on cannot be said.
    if (!tlsverify && !tls && !daemon.complete) return;
    const verdict = judge(tlsverify, tls);
    if (!verdict) return;
    hosts.forEach((raw, i) => {
      const host = parseDaemonHost(raw);
      if (host.kind !== 'tcp') return;
      const where = elementOf(daemon, 'hosts', i)!;
      ctx.report({ subject: daemonSubject(daemon), at: where.at, severity: verdict.severity, message: `the daemon listens on ${quoted(raw)} ${verdict.what} (${where.source})` });
    });
  },
};

type Given = { readonly value: boolean; readonly source: string } | undefined;

/** How the TCP listeners are protected; undefined when clients must present a certificate. */
function judge(tlsverify: Given, tls: Given): { severity: Severity; what: string } | undefined {
  if (tlsverify?.value === true) return undefined;
  if (tlsverify?.value === false) return { severity: 'high', what: `with TLS but without client certificate verification (${tlsverify.source})` };
  if (tls?.value === true) return { severity: 'high', what: `with TLS but tlsverify is not set, so clients need no certificate signed by tlscacert (${tls.source})` };
  return { severity: 'critical', what: tls ? `without TLS (${tls.source})` : 'without TLS: neither tls nor tlsverify is set' };
}
