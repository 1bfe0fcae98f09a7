import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { ClientEnvironment } from '../../model/image.js';
import { byDefault, explicit } from '../../model/value.js';

/**
 * The docker client settings of the environment bulkhead runs in: only
 * DOCKER_CONTENT_TRUST (CIS 4.5), which the client enforces on pull, run
 * and build, and the engine never sees. It says what this shell or CI job
 * does; other users and jobs set their own. Undefined when bulkhead audits a
 * host mounted at --root: its own environment (a container's) then says
 * nothing about the host's users.
 */
export function clientEnvironment(env: NodeJS.ProcessEnv, root: string): ClientEnvironment | undefined {
  if (resolve(root) !== '/') return undefined;
  const value = env['DOCKER_CONTENT_TRUST'];
  return {
    host: hostname(),
    contentTrust: value === undefined ? byDefault('', 'DOCKER_CONTENT_TRUST') : explicit(value, 'DOCKER_CONTENT_TRUST'),
  };
}
