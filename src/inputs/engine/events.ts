import { StringDecoder } from 'node:string_decoder';
import type { EngineClient, EngineStream } from './client.js';

/** The container events a watch follows: those that make or change what the rules read, and destroy to forget. */
export const WATCHED_ACTIONS = ['create', 'start', 'update', 'destroy'] as const;
export type WatchedAction = (typeof WATCHED_ACTIONS)[number];

/** One container event of `GET /events`, reduced to what a watch uses. */
export interface ContainerEvent {
  readonly action: WatchedAction;
  readonly id: string;
  /** The container's name and image as the event names them (the container may be gone by the time it is inspected). */
  readonly name: string;
  readonly image: string;
  /** Seconds since the epoch, engine clock. */
  readonly time: number;
}

/**
 * Opens the engine's event stream of container events since `since`
 * (seconds, engine clock): the engine replays what it still holds from then
 * (the last 256 events, in memory), then follows. Silence is not an error.
 */
export function openEvents(client: EngineClient, since: number): Promise<EngineStream> {
  const filters = JSON.stringify({ type: ['container'], event: WATCHED_ACTIONS });
  return client.stream(`/events?since=${Math.floor(since)}&filters=${encodeURIComponent(filters)}`, 'forever');
}

/** Newline-delimited JSON → events; lines that are not container events of interest are skipped. */
export async function* containerEvents(body: AsyncIterable<Buffer>): AsyncGenerator<ContainerEvent> {
  let pending = '';
  // A chunk may end inside a character of a container's name.
  const decoder = new StringDecoder('utf8');
  for await (const chunk of body) {
    pending += decoder.write(chunk);
    let at: number;
    while ((at = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, at).trim();
      pending = pending.slice(at + 1);
      const event = line === '' ? undefined : parseEvent(line);
      if (event) yield event;
    }
  }
}

export function parseEvent(line: string): ContainerEvent | undefined {
  let doc: { Type?: unknown; Action?: unknown; Actor?: { ID?: unknown; Attributes?: Record<string, unknown> }; time?: unknown };
  try {
    doc = JSON.parse(line) as typeof doc;
  } catch {
    return undefined;
  }
  const action = doc?.Action;
  const id = doc?.Actor?.ID;
  if (doc?.Type !== 'container' || typeof id !== 'string' || !(WATCHED_ACTIONS as readonly unknown[]).includes(action)) return undefined;
  const attributes = doc.Actor?.Attributes ?? {};
  return {
    action: action as WatchedAction,
    id,
    name: typeof attributes['name'] === 'string' ? attributes['name'] : id.slice(0, 12),
    image: typeof attributes['image'] === 'string' ? attributes['image'] : '',
    time: typeof doc.time === 'number' ? doc.time : Date.now() / 1000,
  };
}
