import { InputError } from '../../core/errors.js';
import type { Healthcheck } from '../../model/container.js';
import type { Value } from '../../model/value.js';
import { containerOf } from './container.js';
import { readBuild } from './parse.js';
import { quoted } from '../../reporters/sanitize.js';

/** What an image built from a Dockerfile runs as, for adapters that link to one (compose `build:`). */
export interface DockerfileRuntimeFacts {
  /** The final stage's USER (or one inherited along FROM stages); '' with origin 'default' when none is set. */
  readonly user: Value<string>;
  /** The effective HEALTHCHECK; undefined with origin 'default' when none is set. */
  readonly healthcheck: Value<Healthcheck | undefined>;
  /** EXPOSE, as '80/tcp'. */
  readonly exposedPorts: Value<readonly string[]>;
}

/**
 * The runtime facts of the image a Dockerfile builds: of its last stage, or
 * of the stage named `target` (`docker build --target`, compose
 * `build.target`), following FROM chains of stages either way. Every Value
 * carries its `loc` in the Dockerfile (file:line:column), and paths into the
 * build model (`stages[1].instructions[4]`). Throws InputError like
 * scanDockerfile when the Dockerfile cannot be read, or has no such stage.
 */
export function dockerfileRuntimeFacts(text: string, file: string, target?: string): DockerfileRuntimeFacts {
  const build = readBuild(text, file);
  let stage;
  if (target !== undefined && target !== '') {
    stage = build.stages.find((s) => s.name === target.toLowerCase());
    if (!stage) throw new InputError(`${file}:1:1: no stage named ${quoted(target)} (the build target)`);
  }
  const container = containerOf(build, stage);
  return { user: container.user, healthcheck: container.healthcheck, exposedPorts: container.exposedPorts };
}
