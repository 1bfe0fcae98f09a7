import type { Rule } from '../core/rule.js';
import { allInstructions } from '../model/build.js';

export const maintainerDeprecated: Rule = {
  id: 'BH043',
  name: 'maintainer-deprecated',
  severity: 'info',
  category: 'build',
  references: [],
  aliases: ['DL4000', 'DS-0022', 'CKV_DOCKER_6', 'kics: MAINTAINER Instruction Being Used'],
  docs: {
    summary: 'The Dockerfile uses MAINTAINER, deprecated since Docker 1.13.',
    rationale:
      'MAINTAINER only fills the image\'s legacy Author field, which tools that read OCI labels do not look at. A label is where registries, scanners and SBOM tools look for who is responsible for an image. Every stage is looked at.',
    remediation: {
      docker: 'replace MAINTAINER with a LABEL in the Dockerfile, or set it at build time: docker build --label org.opencontainers.image.authors="…"',
      dockerfile: 'LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>" instead of MAINTAINER Jane Doe <jane@example.com>',
    },
  },
  needs: ['build'],
  check(ctx) {
    for (const build of ctx.workload.builds ?? []) {
      for (const { instruction } of allInstructions(build)) {
        if (instruction.keyword !== 'MAINTAINER') continue;
        const who = instruction.args;
        // MAINTAINER takes the rest of its line as written: a value already in double quotes stays as it is.
        const quoted = who.length > 1 && who.startsWith('"') && who.endsWith('"') ? who : JSON.stringify(who);
        ctx.report({
          subject: build.subject,
          at: instruction,
          message: `MAINTAINER is deprecated: write LABEL org.opencontainers.image.authors=${quoted}`,
        });
      }
    }
  },
};
