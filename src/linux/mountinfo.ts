/** One line of /proc/PID/mountinfo (proc(5)). */
export interface MountInfo {
  /** The filesystem's device, `major:minor`: the same for every mount of one filesystem. */
  readonly device: string;
  /** The path inside the mounted filesystem that is seen at mountPoint (not `/` for a bind mount of a folder or file). */
  readonly root: string;
  readonly mountPoint: string;
  /** Per-mount options: `rw`/`ro` first. */
  readonly options: readonly string[];
  /** Propagation tags: `shared:N`, `master:N`, `propagate_from:N`, `unbindable`. */
  readonly propagation: readonly string[];
  readonly fsType: string;
  readonly source: string;
  readonly superOptions: readonly string[];
}

/** Parses mountinfo; lines that are not mount entries are skipped (a torn read at the end). */
export function parseMountInfo(text: string): MountInfo[] {
  const out: MountInfo[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    const dash = fields.indexOf('-', 6);
    if (dash < 0 || fields.length < dash + 3) continue;
    out.push({
      device: fields[2]!,
      root: unescape(fields[3]!),
      mountPoint: unescape(fields[4]!),
      options: fields[5]!.split(','),
      propagation: fields.slice(6, dash),
      fsType: fields[dash + 1]!,
      source: unescape(fields[dash + 2]!),
      superOptions: (fields[dash + 3] ?? '').split(','),
    });
  }
  return out;
}

/** The kernel's escapes in mountinfo fields: `\` and three octal digits (space, tab, newline, backslash). */
function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8) & 0xff));
}
