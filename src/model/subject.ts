/** What a finding is about. `name` is untrusted text when it comes from a container. */
export type SubjectKind = 'container' | 'file' | 'host' | 'daemon' | 'image';

export interface Subject {
  readonly kind: SubjectKind;
  readonly name: string;
  readonly id?: string;
  /** The file that defines it, for configuration: two compose files may both have a service `web`. */
  readonly file?: string;
  /** The Docker host it is on, when a report covers several (a merged or multi-engine report). */
  readonly host?: SubjectHost;
}

export interface SubjectHost {
  readonly name: string;
  readonly id?: string;
}

/** Two subjects are the same when kind, name, id, file and host agree. */
export function subjectKey(s: Subject): string {
  return `${s.kind}\0${s.name}\0${s.id ?? ''}\0${s.file ?? ''}\0${s.host?.name ?? ''}`;
}
