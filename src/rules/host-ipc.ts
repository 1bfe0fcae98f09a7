import type { Rule } from '../core/rule.js';
import { eachContainer } from '../core/rule.js';

export const hostIpc: Rule = {
  id: 'BH005',
  name: 'host-ipc',
  severity: 'high',
  category: 'isolation',
  references: ['CIS-5.17'],
  aliases: ['KSV-0008', 'CKV_K8S_18', 'kics: Shared Host IPC Namespace'],
  docs: {
    summary: "The container shares the host's IPC namespace.",
    rationale:
      "The container can read and write the host's System V shared memory, semaphores and message queues and its POSIX shared memory in /dev/shm, which host processes use to exchange data.",
    remediation: {
      docker: 'remove --ipc host (use the default private mode, or --ipc shareable / container:NAME between containers)',
      compose: 'remove `ipc: host`',
      kubernetes: 'set spec.hostIPC: false',
      ecs: 'remove "ipcMode": "host" from the task definition',
    },
  },
  needs: ['runtime'],
  check(ctx) {
    eachContainer(ctx, (c, report) => {
      if (c.ipcMode.origin !== 'absent' && c.ipcMode.value === 'host')
        report(c.ipcMode, "shares the host's IPC namespace: host shared memory and semaphores are reachable");
    });
  },
};
