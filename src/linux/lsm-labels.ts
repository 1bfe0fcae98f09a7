import { MissingPart, type ProcessDir } from './proc-dir.js';

/** A process's mandatory access control labels. */
export interface LsmLabels {
  /** The AppArmor profile (`docker-default`), or `unconfined` (also when AppArmor is not enabled). */
  readonly apparmor: string;
  /** The AppArmor mode when confined (`enforce`, `complain`). */
  readonly apparmorMode?: string;
  /** The SELinux context, when SELinux is enabled. */
  readonly selinux: string | null;
}

/**
 * Newer kernels (stacked LSMs) give each module its own attr/<lsm>/current;
 * older ones have one attr/current, which belongs to whichever LSM is on.
 * With no LSM the kernel answers EINVAL: that is "none", not an error.
 */
export function readLsmLabels(dir: ProcessDir): LsmLabels {
  const apparmorOn = enabled(dir, '/sys/module/apparmor/parameters/enabled', (t) => t.trim() === 'Y');
  const selinuxOn = enabled(dir, '/sys/fs/selinux/enforce', () => true);
  const apparmorText = tryRead(dir, 'attr/apparmor/current') ?? (apparmorOn && !selinuxOn ? tryRead(dir, 'attr/current') : undefined);
  const selinuxText = selinuxOn ? (tryRead(dir, 'attr/selinux/current') ?? tryRead(dir, 'attr/current')) : undefined;
  const label = clean(apparmorText);
  const m = label ? /^(.*?)(?: \((\w+)\))?$/.exec(label) : null;
  const apparmor = m?.[1] || 'unconfined';
  return {
    apparmor,
    ...(m?.[2] && apparmor !== 'unconfined' ? { apparmorMode: m[2] } : {}),
    selinux: clean(selinuxText) ?? null,
  };
}

function enabled(dir: ProcessDir, hostPath: string, test: (text: string) => boolean): boolean {
  try {
    const text = dir.root.readText(hostPath);
    return text !== undefined && test(text);
  } catch {
    return false;
  }
}

/** The entry's text, or undefined when the kernel has none to give (missing, EINVAL); a process that exited still throws. */
function tryRead(dir: ProcessDir, name: string): string | undefined {
  try {
    return dir.text(name);
  } catch (e) {
    if (e instanceof MissingPart && !dir.exists()) throw e;
    return undefined;
  }
}

function clean(text: string | undefined): string | undefined {
  const t = text?.replace(/\0/g, '').trim();
  return t ? t : undefined;
}
