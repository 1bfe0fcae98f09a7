import type { ReportFlags } from './publish.js';

export interface AuditOptions extends ReportFlags {
  host?: string;
  all: boolean;
  inspect?: string;
  quiet: boolean;
  concurrency: number;
}
