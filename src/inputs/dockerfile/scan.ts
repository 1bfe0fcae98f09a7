import type { ScanResult } from '../scan-result.js';
import { containerOf } from './container.js';
import { readBuild } from './parse.js';

/**
 * A Dockerfile's contribution to the workload: its build model (for the
 * image-build rules) and one Container with the runtime facts it knows (for
 * the runtime rules: USER, HEALTHCHECK, EXPOSE, ENV, the base image,
 * ENTRYPOINT/CMD). Throws InputError naming file:line:column for a file
 * Docker would refuse and nothing can be read from.
 */
export function scanDockerfile(text: string, file: string): ScanResult {
  const build = readBuild(text, file);
  return { containers: [containerOf(build)], builds: [build] };
}
