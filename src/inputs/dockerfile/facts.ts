import type { Healthcheck } from '../../model/container.js';
import type { Value } from '../../model/value.js';
import { scanDockerfile } from './scan.js';

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
 * The runtime facts of the image a Dockerfile builds. Every Value carries its
 * `loc` in the Dockerfile (file:line:column), and paths into the build model
 * (`stages[1].instructions[4]`). Throws InputError like scanDockerfile when
 * the Dockerfile cannot be read.
 */
export function dockerfileRuntimeFacts(text: string, file: string): DockerfileRuntimeFacts {
  const container = scanDockerfile(text, file).containers[0]!;
  return { user: container.user, healthcheck: container.healthcheck, exposedPorts: container.exposedPorts };
}
