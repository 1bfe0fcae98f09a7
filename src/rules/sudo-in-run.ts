import type { Rule } from '../core/rule.js';
import { instructionsInScope, programOf } from '../model/build.js';

/** Programs that run a command as another user through a setuid binary and a policy file. */
const ESCALATORS = new Set(['sudo', 'doas']);

export const sudoInRun: Rule = {
  id: 'BH038',
  name: 'sudo-in-run',
  severity: 'medium',
  category: 'privileges',
  references: [],
  aliases: ['DL3004', 'DKL-DI-0001', 'DS-0010', 'CKV2_DOCKER_1', 'kics: Run Using Sudo'],
  docs: {
    summary: 'A RUN uses `sudo` (or `doas`).',
    rationale:
      'A RUN already runs as the USER in effect, so sudo adds nothing to the build that `USER root` before the step (and `USER app` after it) would not say plainly. What it does add is a setuid-root binary and a sudoers policy in the image: a path from the container\'s unprivileged user back to root, which is exactly what running as non-root was meant to close, and which behaves unpredictably without a TTY. Only stages whose layers end up in the image are looked at (the final stage and those it builds FROM), ONBUILD triggers included.',
    remediation: {
      docker: 'in the Dockerfile: switch with USER root before the step and USER <app user> after it, and do not install sudo',
      dockerfile: 'USER root, then RUN … without sudo, then USER <uid>:<gid>; remove sudo from the packages installed (and any /etc/sudoers.d entry)',
    },
  },
  needs: ['build'],
  check(ctx) {
    for (const build of ctx.workload.builds ?? []) {
      for (const { instruction: ins } of instructionsInScope(build, 'image', 'RUN')) {
        const cmds = ins.commands ?? [];
        // One finding per RUN, at its first sudo: the fix (USER root around the step) is per RUN.
        const uses = cmds.flatMap((cmd, k) => {
          const program = programOf(cmd);
          if (!ESCALATORS.has(program)) return [];
          // The command it runs follows it in the list, marked as wrapped by it.
          const inner = cmds[k + 1]?.wrappedBy === program ? cmds[k + 1]!.name : undefined;
          return [{ cmd, text: inner ? `${program} ${inner}` : program }];
        });
        const first = uses[0];
        if (!first) continue;
        const program = programOf(first.cmd);
        ctx.report({
          subject: build.subject,
          at: first.cmd,
          message: `${program} in a RUN (${[...new Set(uses.map((u) => u.text))].join(', ')}): drop it; put USER root before this step and USER <app user> after it`,
        });
      }
    }
  },
};
