/** What a finding is about. `name` is untrusted text when it comes from a container. */
export type SubjectKind = 'container' | 'file' | 'host' | 'daemon' | 'image';

export interface Subject {
  readonly kind: SubjectKind;
  readonly name: string;
  readonly id?: string;
  /** The file that defines it, for configuration: two compose files may both have a service `web`. */
  readonly file?: string;
  /** The Docker host it is on, when a report covers several: a fleet audit (from each engine's /info) or a merged report. */
  readonly host?: SubjectHost;
}

/** A host of a fleet: its name (the engine's /info Name, its machine's hostname, or the report's target) and the engine's ID when known. */
export interface SubjectHost {
  readonly name: string;
  readonly id?: string;
}

/** An engine audited in a fleet: /info always gives its ID. */
export type EngineHost = SubjectHost & { readonly id: string };

/** One host, as a key: its name and, when known, its engine's ID. */
export function hostKey(h: SubjectHost): string {
  return `${h.name}\0${h.id ?? ''}`;
}

/** A host as a report names it: `name ID`, or the name alone (a merged report's host may have no ID). */
export function hostLabel(h: SubjectHost): string {
  return h.id ? `${h.name} ${h.id}` : h.name;
}

/** Two subjects are the same when kind, name, id, file and host agree. */
export function subjectKey(s: Subject): string {
  return `${s.kind}\0${s.name}\0${s.id ?? ''}\0${s.file ?? ''}\0${s.host?.name ?? ''}\0${s.host?.id ?? ''}`;
}
