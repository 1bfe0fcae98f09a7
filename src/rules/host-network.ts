import type { Rule } from '../core/rule.js';
import { eachContainer } from '../core/rule.js';

export const hostNetwork: Rule = {
  id: 'BH003',
  name: 'host-network',
  severity: 'high',
  category: 'isolation',
  references: ['CIS-5.10'],
  aliases: ['KSV-0009', 'CKV_K8S_19', 'kics: Shared Host Network Namespace'],
  docs: {
    summary: "The container shares the host's network namespace.",
    rationale:
      "With the host's network stack the container sees every host interface, can bind any host port, reach services listening only on localhost (including an engine API on 127.0.0.1) and, with NET_RAW or NET_ADMIN, sniff or reconfigure the host's traffic.",
    remediation: {
      docker: 'remove --network host; attach a user-defined network (--network NAME) and publish only the ports needed (-p)',
      compose: 'remove `network_mode: host`',
      kubernetes: 'set spec.hostNetwork: false',
      ecs: 'use "networkMode": "awsvpc" or "bridge" in the task definition instead of "host"',
    },
  },
  needs: ['runtime'],
  check(ctx) {
    eachContainer(ctx, (c, report) => {
      if (c.networkMode.origin !== 'absent' && c.networkMode.value === 'host')
        report(c.networkMode, "shares the host's network namespace: every host interface and localhost service is reachable");
    });
  },
};
