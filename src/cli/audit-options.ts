import type { Severity } from '../core/severity.js';
import type { ColorMode } from './output.js';

export const FORMATS = ['text', 'json', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

export interface AuditOptions {
  host?: string;
  all: boolean;
  inspect?: string;
  format?: Format[];
  output?: string[];
  severity?: Severity[];
  failOn: Severity | 'none';
  color: ColorMode;
  quiet: boolean;
  concurrency: number;
}
