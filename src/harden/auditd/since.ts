import { InputError } from '../../core/errors.js';

const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** The forms --since takes, for its help and its error. */
export const SINCE_FORMS = 'an ISO date or time (2026-11-29, 2026-11-29T18:00:00Z; without a zone it is local time), now-N[smhd] (now-1h), today (since local midnight) or recent (the last 10 minutes, as ausearch)';

/** The earliest time (ms since the epoch) a `--since` value lets through. */
export function parseSince(text: string, now: Date = new Date()): number {
  const t = text.trim();
  if (t === 'recent') return now.getTime() - 10 * UNIT_MS['m']!;
  if (t === 'today') return new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
  const ago = /^now-(\d+)([smhd])$/.exec(t);
  if (ago) return now.getTime() - Number(ago[1]) * UNIT_MS[ago[2]!]!;
  // A date alone is UTC midnight for Date.parse; a user means their own day, as with a time.
  const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (dateOnly) return new Date(Number(dateOnly[1]), Number(dateOnly[2]) - 1, Number(dateOnly[3])).getTime();
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(t)) {
    const ms = Date.parse(t);
    if (!Number.isNaN(ms)) return ms;
  }
  throw new InputError(`--since: cannot read "${text}": give ${SINCE_FORMS}`);
}
