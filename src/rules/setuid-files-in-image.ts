import type { Rule } from '../core/rule.js';

/** How many files a message names before it says how many more there are. */
const LISTED = 10;

export const setuidFilesInImage: Rule = {
  id: 'BH075',
  name: 'setuid-files-in-image',
  severity: 'info',
  category: 'privileges',
  references: ['CIS-4.8'],
  aliases: ['CIS-DI-0008'],
  docs: {
    summary: 'The image holds setuid or setgid files.',
    rationale:
      'A setuid or setgid program runs with its owner\'s or group\'s privileges whoever starts it: in a container running as a non-root user, each one (su, passwd, mount, newgrp…) is a way back to root if it has a flaw, and few containers need any. The files are found by reading the image\'s layers in order, as the engine applies them: a file a later layer deletes (a whiteout) or rewrites without the bit (`chmod u-s`) is not reported. Images that audited containers use are read (every image with --all-images); reading an image that fails or takes too long is a note.',
    remediation: {
      docker: 'remove the bits when building the image (RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} +), and run containers with --security-opt no-new-privileges, which makes the bits ineffective',
      dockerfile: 'RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} + (keep the bit only on a program the container needs), in the final stage',
    },
  },
  needs: ['images'],
  check(ctx) {
    for (const image of ctx.workload.images ?? []) {
      const files = image.setuidFiles;
      if (!files || files.length === 0) continue;
      const kinds = [files.some((f) => f.mode & 0o4000) ? 'setuid' : '', files.some((f) => f.mode & 0o2000) ? 'setgid' : ''].filter(Boolean).join('/');
      const named = files.slice(0, LISTED).map((f) => `${f.path} (${f.mode.toString(8).padStart(4, '0')})`);
      const more = files.length > LISTED ? `, and ${files.length - LISTED} more` : '';
      ctx.report({
        subject: image.subject,
        at: { path: 'RootFS.Layers' },
        message: `${files.length} ${kinds} ${files.length === 1 ? 'file' : 'files'}: ${named.join(', ')}${more}`,
      });
    }
  },
};
