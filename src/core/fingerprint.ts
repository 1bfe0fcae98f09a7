/**
 * A finding's identity across runs: its rule, what it is about (kind, name and
 * file of the subject) and the logical path of the fact (`services.web.privileged`,
 * `HostConfig.CapAdd[0]`). Line numbers are left out, so an edit above a
 * finding does not make it new; so are the container's id (a container
 * recreated under the same name is the same finding) and the message (some
 * carry counts that change).
 *
 * In a fleet audit the engine's name (its machine's hostname, from /info) is
 * part of it, so a fleet's baseline tells two hosts' `web` apart; its ID is
 * not, so a host whose engine is reinstalled keeps its baseline. Without a
 * host the fingerprint is what it always was.
 */
import { createHash } from 'node:crypto';
import { isAbsolute, relative, sep } from 'node:path';

export interface FingerprintParts {
  readonly ruleId: string;
  readonly subject: { readonly kind: string; readonly name: string; readonly file?: string | undefined; readonly host?: { readonly name: string } | undefined };
  readonly path: string;
}

export function fingerprintOf(p: FingerprintParts, cwd: string = process.cwd()): string {
  const file = p.subject.file === undefined ? '' : portable(p.subject.file, cwd);
  const parts = [p.ruleId, p.subject.kind, p.subject.name, file, p.path];
  if (p.subject.host !== undefined) parts.push(p.subject.host.name);
  return createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 32);
}

/** `./compose.yaml`, `compose.yaml` and `/repo/compose.yaml` (run in /repo) are one file. */
function portable(file: string, cwd: string): string {
  const rel = isAbsolute(file) ? relative(cwd, file) : relative('.', file);
  return rel.split(sep).join('/');
}
