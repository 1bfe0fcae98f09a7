import type { Rule } from '../core/rule.js';
import { eachContainer } from '../core/rule.js';
import { quoted } from '../reporters/sanitize.js';

/** `name@sha256:<digest>`, or an image ID (`sha256:<id>` or the bare 64 hex digits). */
const PINNED = /@sha256:[0-9a-f]{64}$|^(sha256:)?[0-9a-f]{64}$/;

export const imageNotPinned: Rule = {
  id: 'BH027',
  name: 'image-not-pinned',
  severity: 'info',
  category: 'supply-chain',
  references: ['CIS-5.28'],
  aliases: ['CKV_K8S_43'],
  docs: {
    summary: 'The container\'s image is referred to by a tag, not pinned by digest.',
    rationale:
      'A tag can be moved to other content at any time, so the same reference may run different code tomorrow. A digest (name@sha256:…) names exact content. A full image ID (sha256:…) counts as pinned too: it is the hash of the image\'s configuration, which names its layers by content, so it also identifies exact content; unlike a digest it is only valid on an engine that already has the image.',
    remediation: {
      docker: 'run the image as NAME@sha256:DIGEST (`docker image inspect --format "{{index .RepoDigests 0}}" IMAGE`)',
      compose: 'image: NAME@sha256:DIGEST',
      kubernetes: 'image: NAME@sha256:DIGEST',
      ecs: '"image": "NAME@sha256:DIGEST" in the container definition',
      dockerfile: 'FROM NAME@sha256:DIGEST',
    },
  },
  needs: ['runtime'],
  check(ctx) {
    eachContainer(ctx, (c, report) => {
      if (c.image.origin === 'absent' || c.image.value === '') return;
      if (!PINNED.test(c.image.value)) report(c.image, `image ${quoted(c.image.value)} is not pinned by digest`);
    });
  },
};
