import { existsSync } from 'node:fs';
import { IncompleteError, InputError } from '../core/errors.js';
import { parseBaneToml } from '../harden/apparmor/bane-toml.js';
import { installProfile, whyNoAppArmor } from '../harden/apparmor/install.js';
import { compileOffline } from '../harden/apparmor/parser.js';
import { renderProfile, type Includes } from '../harden/apparmor/profile.js';
import type { ProfileName } from '../harden/apparmor/spec.js';
import { readStdin, readTextFile } from '../inputs/read-input.js';
import type { ApparmorGenerateOptions } from './apparmor.js';
import type { Logger } from './log.js';
import { writeAtomically, writeStdout } from './output.js';

/** `bulkhead apparmor generate FILE`. */
export async function generate(file: string, opts: ApparmorGenerateOptions, log: Logger): Promise<void> {
  // Refuse before reading or writing anything, so a refused --install leaves no --output behind either.
  if (opts.install) {
    const why = whyNoAppArmor();
    if (why) throw new IncompleteError(`cannot install: ${why}; nothing was written`);
  }
  const label = file === '-' ? '<stdin>' : file;
  const text = file === '-' ? await readStdin() : readTextFile(file);
  const { spec, warnings } = parseBaneToml(text, label);
  for (const w of warnings) log.warn(w);
  const profile = renderProfile(spec, hostIncludes());

  if (opts.check) {
    const r = compileOffline(profile);
    if (!r.ok) throw new InputError(`apparmor_parser rejects the profile ${spec.name}: ${r.message}`);
    log.info(`apparmor_parser compiles ${spec.name} (offline)`);
  }
  if (opts.install) {
    const written = await installProfile(spec.name, profile);
    log.info(`installed ${written} and loaded it into the kernel`);
  }
  if (opts.output !== undefined && opts.output !== '-') {
    await writeAtomically(opts.output, [profile]);
    log.info(`wrote ${opts.output}`);
  } else if (!opts.install || opts.output === '-') {
    await writeStdout([profile]);
  }
  for (const line of usage(spec.name, opts.install)) log.info(line);
}

/** What bane checks on the generating host before it includes a file from /etc/apparmor.d. */
function hostIncludes(): Includes {
  return {
    tunables: existsSync('/etc/apparmor.d/tunables/global'),
    base: existsSync('/etc/apparmor.d/abstractions/base'),
  };
}

function usage(name: ProfileName, installed: boolean): string[] {
  return [
    ...(installed ? [] : [`load it on every Docker host and Kubernetes node that runs the container: copy it to /etc/apparmor.d/containers/${name} and run apparmor_parser -r -W on it (or: bulkhead apparmor generate FILE --install)`]),
    `docker run --security-opt apparmor=${name} …`,
    `compose: security_opt: ["apparmor=${name}"]`,
    `Kubernetes 1.30+: securityContext: {appArmorProfile: {type: Localhost, localhostProfile: ${name}}}`,
    `Kubernetes before 1.30: annotation container.apparmor.security.beta.kubernetes.io/<container>: localhost/${name}`,
  ];
}
