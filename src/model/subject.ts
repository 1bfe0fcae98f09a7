/** What a finding is about. `name` is untrusted text when it comes from a container. */
export type SubjectKind = 'container' | 'file' | 'host' | 'daemon' | 'image';

export interface Subject {
  readonly kind: SubjectKind;
  readonly name: string;
  readonly id?: string;
}
