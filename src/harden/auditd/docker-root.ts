import { openClient } from '../../inputs/engine/client.js';
import type { Endpoint } from '../../inputs/engine/endpoint.js';

/** dockerd's default data-root, used when the engine does not say. */
export const DEFAULT_DOCKER_ROOT = '/var/lib/docker';

/** The engine answers /info at once; a slow or absent one must not hold up rules about files. */
const TIMEOUT_MS = 3_000;

/**
 * The Docker root dir (CIS 1.1.5): DockerRootDir from the engine's
 * `GET /info`, as the audit's daemon section takes it; without an engine
 * dockerd's default, and a note saying so (a daemon started with
 * --data-root elsewhere would be missed).
 */
export async function dockerRootDir(endpoint: Endpoint, note: (message: string) => void): Promise<string> {
  let why: string;
  try {
    const client = await openClient(endpoint, { timeoutMs: TIMEOUT_MS, concurrency: 1 });
    try {
      const info = (await client.get('/info')) as Record<string, unknown> | null;
      const dir = info?.['DockerRootDir'];
      if (typeof dir === 'string' && dir.startsWith('/')) return dir;
      why = 'its /info has no DockerRootDir';
    } finally {
      client.close();
    }
  } catch (e) {
    why = `${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
  }
  note(`the Docker engine at ${endpoint.address} did not say where its root dir is (${why}): CIS 1.1.5 is taken as ${DEFAULT_DOCKER_ROOT}`);
  return DEFAULT_DOCKER_ROOT;
}
