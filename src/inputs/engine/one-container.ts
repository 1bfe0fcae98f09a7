import { InputError } from '../../core/errors.js';
import { EngineHttpError, openClient } from './client.js';
import { resolveEndpoint, type Endpoint } from './endpoint.js';
import { engineUnreachable } from './fetch.js';

/** The parts of an inspect document the one-container commands read before adapting it. */
export type InspectDoc = Record<string, unknown> & {
  Id?: unknown;
  Name?: unknown;
  Config?: { Image?: unknown };
  State?: { Running?: unknown; Pid?: unknown; Status?: unknown };
};

export interface OneContainer {
  readonly doc: InspectDoc;
  /** The engine's `GET /info`, for the daemon facts and its version. */
  readonly info: Record<string, unknown> | undefined;
  readonly endpoint: Endpoint;
}

/**
 * One container by name or id, for the commands that look at one (`inspect`,
 * `caps suggest`): its inspect document and the engine's /info, in one round
 * trip. An unknown container is an InputError (`notFound`), an engine that
 * cannot be reached an IncompleteError naming where it was looked for.
 */
export async function inspectOne(name: string, host: string | undefined, notFound = `no such container: ${name}`): Promise<OneContainer> {
  const endpoint = resolveEndpoint(host);
  const client = await openClient(endpoint, { timeoutMs: 30_000, concurrency: 2 });
  try {
    const [doc, info] = await Promise.all([client.get(`/containers/${encodeURIComponent(name)}/json`), client.get('/info')]);
    return { doc: doc as InspectDoc, info: info && typeof info === 'object' ? (info as Record<string, unknown>) : undefined, endpoint };
  } catch (e) {
    if (e instanceof EngineHttpError && e.statusCode === 404) throw new InputError(notFound);
    throw engineUnreachable(endpoint, e);
  } finally {
    client.close();
  }
}
