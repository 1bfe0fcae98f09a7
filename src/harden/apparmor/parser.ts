/** The real apparmor_parser: compiling a profile offline, and loading one into the kernel. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { IncompleteError } from '../../core/errors.js';

const PLACES = ['/usr/sbin/apparmor_parser', '/sbin/apparmor_parser'];
/** The feature ABI that AppArmor 3 ships; compiling against it needs no AppArmor in the kernel. */
export const OFFLINE_ABI = '/etc/apparmor.d/abi/3.0';

/** apparmor_parser's path, or an IncompleteError saying how to get it. */
export function findParser(): string {
  const onPath = (process.env['PATH'] ?? '').split(':').filter(Boolean).map((d) => `${d}/apparmor_parser`);
  const found = [...onPath, ...PLACES].find((p) => existsSync(p));
  if (!found) throw new IncompleteError('apparmor_parser not found (install the apparmor package)');
  return found;
}

export type ParserResult = { readonly ok: true } | { readonly ok: false; readonly message: string };

/**
 * Compiles the profile text as the kernel would get it, without loading it
 * (-Q skips the kernel, -K the cache, -M takes the features from a file so a
 * kernel without AppArmor does not matter). Errors come back in one line.
 */
export function compileOffline(profile: string, parser = findParser()): ParserResult {
  if (!existsSync(OFFLINE_ABI)) throw new IncompleteError(`${OFFLINE_ABI} not found: cannot compile offline (AppArmor 3's apparmor_parser ships it)`);
  return run(parser, ['-QK', '-M', OFFLINE_ABI, '-o', '/dev/null'], profile);
}

/** Loads (or replaces) the profile in the kernel and writes its cache, as bane does (`-r -W`). */
export function loadProfile(file: string, parser = findParser()): ParserResult {
  return run(parser, ['-r', '-W', file], '');
}

function run(parser: string, args: readonly string[], input: string): ParserResult {
  const r = spawnSync(parser, args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  if (r.error) throw new IncompleteError(`cannot run ${parser}: ${(r.error as NodeJS.ErrnoException).code ?? r.error.message}`);
  if (r.status === 0) return { ok: true };
  const said = `${r.stderr}\n${r.stdout}`.split('\n').map((l) => l.trim()).filter(Boolean).join('; ');
  return { ok: false, message: said || `exit status ${r.status ?? r.signal}` };
}
