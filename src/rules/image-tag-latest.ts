import type { Rule } from '../core/rule.js';
import { eachContainer } from '../core/rule.js';
import { finalStage, stageChain, type ImageRef } from '../model/build.js';
import { parseImageRef } from '../inputs/dockerfile/parse.js';
import { quoted } from '../reporters/sanitize.js';

/** An image ID rather than a reference (`sha256:<hex>`, or 12 to 64 hex digits): it names exact content, and has no tag to judge. */
const IMAGE_ID = /^(sha256:)?[0-9a-f]{12,64}$/;

/** What is wrong with the reference's tag: 'none' (Docker takes latest), 'latest', or undefined when it names a version or a digest. */
function floating(ref: ImageRef): 'none' | 'latest' | undefined {
  if (ref.digest !== undefined) return undefined;
  if (ref.tag === undefined) return 'none';
  return ref.tag === 'latest' ? 'latest' : undefined;
}

/** The reference with its repository and registry, without tag or digest: what the fix puts a version after. */
function nameOf(ref: ImageRef): string {
  return ref.registry !== undefined ? `${ref.registry}/${ref.repository}` : ref.repository;
}

export const imageTagLatest: Rule = {
  id: 'BH033',
  name: 'image-tag-latest',
  severity: 'medium',
  category: 'supply-chain',
  references: [],
  aliases: [
    'DL3006',
    'DL3007',
    'DKL-DI-0006',
    'DS-0001',
    'KSV-0013',
    'CKV_DOCKER_7',
    'CKV_K8S_14',
    'kics: Image Version Not Explicit',
    "kics: Image Version Using 'latest'",
  ],
  docs: {
    summary: 'An image is referred to with no tag or with the tag `latest`.',
    rationale:
      'A missing tag means `latest`, and `latest` is only the tag a publisher moved last: each pull or rebuild may bring another major version, so what runs cannot be told from the configuration, two nodes can run different code, and a rollback goes nowhere. For a Dockerfile this looks at the FROM of the final stage and of every stage it builds FROM (the stages whose layers are the image); builder stages whose files are only copied, `scratch`, and a base named by a build argument with no default are not judged. A reference pinned by digest (`@sha256:…`) passes whatever its tag.',
    remediation: {
      docker: 'run the image by a version tag (IMAGE:1.27.0), or pin it by digest (IMAGE@sha256:DIGEST)',
      compose: 'image: IMAGE:VERSION (or IMAGE@sha256:DIGEST)',
      kubernetes: 'image: IMAGE:VERSION (or IMAGE@sha256:DIGEST)',
      ecs: '"image": "IMAGE:VERSION" (or IMAGE@sha256:DIGEST) in the container definition',
      dockerfile: 'FROM IMAGE:VERSION (e.g. FROM debian:12.6-slim), or FROM IMAGE:VERSION@sha256:DIGEST',
    },
  },
  needs: ['runtime', 'build'],
  check(ctx) {
    for (const build of ctx.workload.builds ?? []) {
      const final = finalStage(build);
      if (!final) continue;
      for (const stage of stageChain(build, final)) {
        const base = stage.base;
        if (base.scratch || base.stage !== undefined || base.unresolved || !base.ref) continue;
        const why = floating(base.ref);
        if (!why) continue;
        const name = nameOf(base.ref);
        ctx.report({
          subject: build.subject,
          at: base,
          message:
            why === 'none'
              ? `base image ${quoted(base.image)} has no tag, so Docker takes ${name}:latest: write FROM ${name}:<version>`
              : `base image ${quoted(base.image)} uses the tag latest: write FROM ${name}:<version>`,
        });
      }
    }
    eachContainer(ctx, (c, report) => {
      // A Dockerfile's image is its FROM, judged above with the whole chain of stages.
      if (c.source.kind === 'dockerfile' || c.image.origin === 'absent') return;
      const image = c.image.value;
      if (image === '' || IMAGE_ID.test(image)) return;
      const ref = parseImageRef(image);
      if (!ref) return;
      const why = floating(ref);
      if (!why) return;
      const name = nameOf(ref);
      report(
        c.image,
        why === 'none'
          ? `image ${quoted(image)} has no tag, so the engine pulls ${name}:latest: use ${name}:<version>`
          : `image ${quoted(image)} uses the tag latest: use ${name}:<version>`,
      );
    });
  },
};
