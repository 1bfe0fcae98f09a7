import { ruleLine, type WantedWatch } from './wanted.js';

/** Where augenrules reads rule files from; `--install` writes here unless told otherwise. */
export const RULES_DIR = '/etc/audit/rules.d';
export const DEFAULT_RULES_FILE = `${RULES_DIR}/docker.rules`;

/**
 * The rules file: a header saying what it is and how it loads, then one
 * commented watch per path. Nothing in it changes from run to run on the
 * same host (no date), so a second run shows no difference.
 */
export function rulesFileText(wanted: readonly WantedWatch[]): string {
  const lines = [
    '## Written by bulkhead auditd generate: audit watches for the CIS Docker Benchmark',
    '## v1.6.0 items 1.1.3-1.1.18 (who changed or ran Docker\'s files, programs and data).',
    '## Load with `augenrules --load`, or `auditctl -R FILE`; list with `auditctl -l -k docker`;',
    '## search the log with `ausearch -k docker` or `bulkhead auditd report`.',
  ];
  for (const w of wanted) {
    lines.push('', `# CIS ${w.item}: ${w.what}${w.exists ? '' : ' (not on this host yet: watched so that its creation is recorded)'}`, ruleLine(w.path));
  }
  return lines.join('\n') + '\n';
}
