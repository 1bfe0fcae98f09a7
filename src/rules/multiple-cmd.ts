import type { Rule } from '../core/rule.js';
import { instructionsOf } from '../model/build.js';

const ONLY_LAST = ['CMD', 'ENTRYPOINT', 'HEALTHCHECK'] as const;

export const multipleCmd: Rule = {
  id: 'BH042',
  name: 'multiple-cmd',
  severity: 'low',
  category: 'build',
  references: [],
  aliases: [
    'DL4003',
    'DL4004',
    'DL3012',
    'DS-0016',
    'DS-0007',
    'DS-0023',
    'kics: Multiple CMD Instructions Listed',
    'kics: Multiple ENTRYPOINT Instructions Listed',
  ],
  docs: {
    summary: 'A stage has more than one CMD, ENTRYPOINT or HEALTHCHECK: only the last of each takes effect.',
    rationale:
      'Each of these instructions replaces the one before it, so the earlier ones are dead code that reads as if it ran: a health check, a start command or an entrypoint that someone believes is in place is not. Every stage is looked at; each overridden instruction is reported, at its own line.',
    remediation: {
      docker: 'keep one CMD, one ENTRYPOINT and one HEALTHCHECK per stage in the Dockerfile',
      dockerfile: 'delete the earlier CMD / ENTRYPOINT / HEALTHCHECK of the stage and keep the one that should apply; to run several steps, use one script as ENTRYPOINT that ends in exec "$@"',
    },
  },
  needs: ['build'],
  check(ctx) {
    for (const build of ctx.workload.builds ?? []) {
      for (const stage of build.stages) {
        for (const keyword of ONLY_LAST) {
          const all = instructionsOf(stage, keyword);
          const last = all.at(-1);
          if (!last) continue;
          const where = last.loc ? `the ${keyword} on line ${last.loc.line}` : `a later ${keyword}`;
          for (const ins of all.slice(0, -1)) {
            ctx.report({ subject: build.subject, at: ins, message: `${keyword} has no effect: ${where} of this stage replaces it; remove this one` });
          }
        }
      }
    }
  },
};
