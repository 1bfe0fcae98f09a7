import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';

/** What happened when the rules were loaded into the kernel. */
export type LoadResult = { readonly ok: true; readonly how: string } | { readonly ok: false; readonly how: string; readonly why: string };

const TIMEOUT_MS = 30_000;

/** An auditd tool in PATH or the sbin folders, which a non-root PATH may lack. */
export function findTool(name: string): string | undefined {
  const dirs = [...(process.env['PATH'] ?? '').split(':').filter((d) => d.startsWith('/')), '/usr/sbin', '/sbin'];
  for (const dir of dirs) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not here
    }
  }
  return undefined;
}

interface Ran {
  readonly code: number;
  readonly output: string;
}

function run(file: string, args: readonly string[]): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: TIMEOUT_MS, killSignal: 'SIGKILL', env: { ...process.env, LC_ALL: 'C' } }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, output: `${stderr}${stdout}`.trim() });
    });
  });
}

/** The pid of the auditd registered with the kernel (`auditctl -s`), 0 when none runs. */
async function auditdPid(auditctl: string): Promise<number> {
  const s = await run(auditctl, ['-s']);
  const m = /^pid (\d+)$/m.exec(s.output);
  return m ? Number(m[1]) : 0;
}

/**
 * Loads a rules file into the kernel. With auditd running and the file in
 * /etc/audit/rules.d, `augenrules --load`, which rebuilds audit.rules from
 * every file there, as the host's boot will. Otherwise `auditctl -R FILE`;
 * it stops at the first rule the kernel refuses, and an identical rule
 * already loaded is refused ("Rule exists"), so the file's own watches are
 * removed first (`-W` of each; one not loaded is no error): loading twice
 * gives the same rules, not a failure.
 */
export async function loadRules(file: string, text: string, inRulesDir: boolean, watches: readonly string[]): Promise<LoadResult> {
  const auditctl = findTool('auditctl');
  if (!auditctl) return { ok: false, how: 'auditctl', why: 'auditctl is not installed (the auditd package)' };
  const augenrules = findTool('augenrules');
  if (inRulesDir && augenrules && (await auditdPid(auditctl)) > 0) {
    const r = await run(augenrules, ['--load']);
    return r.code === 0 ? { ok: true, how: 'augenrules --load' } : { ok: false, how: 'augenrules --load', why: r.output || `exit ${r.code}` };
  }
  for (const w of watches) await run(auditctl, ['-W', ...w.split(' ').slice(1)]);
  const r = await run(auditctl, ['-R', file]);
  if (r.code === 0) return { ok: true, how: `auditctl -R ${file}` };
  const said = r.output.split('\n').join('; ') || `exit ${r.code}`;
  const bad = /error in line (\d+) of/.exec(r.output);
  const line = bad ? text.split('\n')[Number(bad[1]) - 1] : undefined;
  const why = line === undefined ? said : `line ${bad![1]} (${line.trim()}) was refused, and the rules after it were not loaded: ${said}`;
  return { ok: false, how: `auditctl -R ${file}`, why };
}
