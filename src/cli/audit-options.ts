import type { ReportFlags } from './publish.js';
import type { Section } from '../core/sections.js';

export interface AuditOptions extends ReportFlags {
  host?: string;
  all: boolean;
  inspect?: string;
  quiet: boolean;
  concurrency: number;
  /** undefined: every section that applies (with --inspect: containers). */
  sections?: Section[];
  /** Where the host's / is mounted; default /. */
  root: string;
  /** Every image, not only those containers use. */
  allImages: boolean;
}
