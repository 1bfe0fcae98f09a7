/** Installing a profile where bane does: /etc/apparmor.d/containers/NAME, loaded with apparmor_parser -r -W. */
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IncompleteError, InputError } from '../../core/errors.js';
import { writeAtomically } from '../../cli/output.js';
import { compileOffline, findParser, loadProfile } from './parser.js';
import type { ProfileName } from './spec.js';

export const PROFILE_DIR = '/etc/apparmor.d/containers';
const ENABLED = '/sys/module/apparmor/parameters/enabled';
const SECURITYFS = '/sys/kernel/security/apparmor';

/** Why this kernel cannot load AppArmor profiles, or undefined when it can. */
export function whyNoAppArmor(): string | undefined {
  let enabled: string;
  try {
    enabled = readFileSync(ENABLED, 'utf8').trim();
  } catch {
    return `this kernel has no AppArmor (${ENABLED} is missing)`;
  }
  if (enabled !== 'Y') return `AppArmor is disabled in this kernel (${ENABLED} is ${JSON.stringify(enabled)}; boot with apparmor=1 security=apparmor)`;
  if (!existsSync(SECURITYFS)) return `AppArmor's securityfs is not mounted (${SECURITYFS} is missing; mount -t securityfs securityfs /sys/kernel/security)`;
  return undefined;
}

/**
 * Writes the profile and loads it. Everything that can be checked is checked
 * before anything is written: the kernel, the parser, and an offline compile.
 * Returns the file written.
 */
export async function installProfile(name: ProfileName, profile: string): Promise<string> {
  const why = whyNoAppArmor();
  if (why) throw new IncompleteError(`cannot install ${name}: ${why}; nothing was written`);
  const parser = findParser();
  const compiled = compileOffline(profile, parser);
  if (!compiled.ok) throw new InputError(`apparmor_parser rejects the profile ${name}: ${compiled.message}; nothing was written`);
  const file = join(PROFILE_DIR, name);
  try {
    mkdirSync(PROFILE_DIR, { recursive: true, mode: 0o755 });
  } catch (e) {
    throw new IncompleteError(`cannot create ${PROFILE_DIR}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  await writeAtomically(file, [profile]);
  // The temp file was made 0644 less the umask; profiles are world-readable as bane writes them.
  chmodSync(file, 0o644);
  const loaded = loadProfile(file, parser);
  if (!loaded.ok) throw new IncompleteError(`wrote ${file}, but apparmor_parser -r -W could not load it: ${loaded.message}`);
  return file;
}
