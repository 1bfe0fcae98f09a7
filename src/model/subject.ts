/** What a finding is about. `name` is untrusted text when it comes from a container. */
export type SubjectKind = 'container' | 'file' | 'host' | 'daemon' | 'image';

export interface Subject {
  readonly kind: SubjectKind;
  readonly name: string;
  readonly id?: string;
  /** The file that defines it, for configuration: two compose files may both have a service `web`. */
  readonly file?: string;
  /** The engine it was found on, in a fleet audit (from that engine's /info): two engines may both run a `web`. */
  readonly host?: EngineHost;
}

/** An engine of a fleet, as its `/info` names it: Name (its machine's hostname) and ID (the engine's own). */
export interface EngineHost {
  readonly name: string;
  readonly id: string;
}

/** Two subjects are the same when kind, name, id, file and engine agree. */
export function subjectKey(s: Subject): string {
  return `${s.kind}\0${s.name}\0${s.id ?? ''}\0${s.file ?? ''}\0${s.host?.id ?? ''}`;
}
