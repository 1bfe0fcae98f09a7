import type { ReportFlags } from './publish.js';
import type { Section } from '../core/sections.js';

export interface AuditOptions extends ReportFlags {
  /** --host, repeatable: more than one is a fleet. */
  host?: string[];
  hostsFile?: string;
  context?: 'all';
  /** Engines of a fleet audited at once. */
  parallel: number;
  /** Seconds an engine may take to answer one request. */
  timeout: number;
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
