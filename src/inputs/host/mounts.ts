import type { Mount } from '../../model/host.js';
import { numberedLines, type Parsed } from './lines.js';
import { quoted } from './quote.js';

/**
 * Parses a mount table in the /proc/PID/mounts (and /etc/mtab) format:
 * `DEVICE MOUNTPOINT FSTYPE OPTIONS DUMP PASS`, with spaces, tabs, newlines
 * and backslashes in names written as octal escapes (`\040`).
 */
export function parseMounts(text: string, file: string): Parsed<Mount> {
  const items: Mount[] = [];
  const problems: string[] = [];
  for (const { text: line, line: n } of numberedLines(text)) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const fields = trimmed.split(/[ \t]+/);
    const [device, mountPoint, fsType] = fields.map(unescapeOctal);
    if (device === undefined || mountPoint === undefined || fsType === undefined || !mountPoint.startsWith('/')) {
      problems.push(`${file}:${n}: not a mount entry: ${quoted(trimmed)}`);
      continue;
    }
    items.push({ device, mountPoint, fsType, at: { path: `mounts[${JSON.stringify(mountPoint)}]`, loc: { file, line: n, column: line.indexOf(trimmed) + 1 } } });
  }
  return { items, problems };
}

/** The kernel's escapes in mount table fields: `\` and three octal digits. */
function unescapeOctal(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8) & 0xff));
}
