import type { Rule } from '../core/rule.js';
import { eachContainer } from '../core/rule.js';
import { child } from '../model/path.js';

/** CIS 5.15 accepts on-failure with at most this many retries. */
const MAX_RETRIES = 5;

export const restartPolicy: Rule = {
  id: 'BH021',
  name: 'restart-policy',
  severity: 'low',
  category: 'availability',
  references: ['CIS-5.15'],
  aliases: [],
  docs: {
    summary: `The container restarts without limit (always, unless-stopped, or on-failure with no limit or more than ${MAX_RETRIES} retries).`,
    rationale:
      'A container that is restarted forever hides a crash loop and hands an attacker who can crash it unlimited attempts (and the host a denial of service); a bounded on-failure policy stops and lets someone look.',
    remediation: {
      docker: `--restart on-failure:${MAX_RETRIES}`,
      compose: `restart: "on-failure:${MAX_RETRIES}" (or deploy.restart_policy.max_attempts: ${MAX_RETRIES})`,
    },
  },
  needs: ['runtime'],
  check(ctx) {
    eachContainer(ctx, (c, report) => {
      const rp = c.restartPolicy;
      if (rp.origin === 'absent') return;
      const { name, maximumRetryCount: retries } = rp.value;
      if (name === 'always' || name === 'unless-stopped') {
        report({ path: child(rp.path, 'Name') }, `restart policy "${name}" restarts it without limit`);
      } else if (name === 'on-failure' && retries === 0) {
        report({ path: child(rp.path, 'MaximumRetryCount') }, 'restart policy "on-failure" has no retry limit');
      } else if (name === 'on-failure' && retries > MAX_RETRIES) {
        report({ path: child(rp.path, 'MaximumRetryCount') }, `restart policy "on-failure" retries ${retries} times (more than ${MAX_RETRIES})`);
      }
    });
  },
};
