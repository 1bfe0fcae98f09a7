import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';

/** The kernel's loaded audit rules as `auditctl -l` prints them, or why they could not be read. */
export type LoadedRules = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly why: string };

/** auditctl answers at once; more than this means something is wrong, and the audit goes on without it. */
const TIMEOUT_MS = 10_000;

/** auditctl lives in /usr/sbin or /sbin, which a non-root PATH may lack. */
function findAuditctl(): string | undefined {
  const dirs = [...(process.env['PATH'] ?? '').split(':').filter((d) => d.startsWith('/')), '/usr/sbin', '/sbin'];
  for (const dir of dirs) {
    const file = join(dir, 'auditctl');
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * Runs `auditctl -l` (no shell, a timeout). A missing binary, no
 * permission (it needs root, or CAP_AUDIT_CONTROL) or a kernel without audit
 * is an answer, not an error: the audit notes it and reads only the rule files.
 */
export function loadedAuditRules(): Promise<LoadedRules> {
  const auditctl = findAuditctl();
  if (!auditctl) return Promise.resolve({ ok: false, why: 'auditctl is not installed' });
  return new Promise((resolve) => {
    execFile(
      auditctl,
      ['-l'],
      { timeout: TIMEOUT_MS, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, LC_ALL: 'C' } },
      (error, stdout, stderr) => {
        if (!error) return resolve({ ok: true, text: stdout });
        const said = `${stderr}`.trim().split('\n')[0] || `${stdout}`.trim().split('\n')[0];
        const why = error.killed ? `${auditctl} -l did not answer within ${TIMEOUT_MS / 1000} s` : `${auditctl} -l failed${said ? `: ${said}` : ` (${error.message.split('\n')[0]})`}`;
        resolve({ ok: false, why });
      },
    );
  });
}
