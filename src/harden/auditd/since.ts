import { InputError } from '../../core/errors.js';

const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** The forms --since takes, for its help and its error. */
export const SINCE_FORMS = 'an ISO date or time (2026-11-29, 2026-11-29T18:00:00Z; without a zone it is local time), now-N[smhd] (now-1h), today (since local midnight) or recent (the last 10 minutes, as ausearch)';

/** The earliest time (ms since the epoch) a `--since` value lets through. */
export function parseSince(text: string, now: Date = new Date()): number {
  const ms = sinceTime(text.trim(), now);
  if (ms === undefined) throw new InputError(`--since: cannot read "${text}": give ${SINCE_FORMS}`);
  // Out of what a Date holds (now-99999999999d) it could be neither printed nor compared.
  if (Number.isNaN(new Date(ms).getTime())) throw new InputError(`--since: "${text}" is before the earliest time there is (Date holds 271,821 years either side of 1970)`);
  return ms;
}

function sinceTime(t: string, now: Date): number | undefined {
  if (t === 'recent') return now.getTime() - 10 * UNIT_MS['m']!;
  if (t === 'today') return new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
  const ago = /^now-(\d+)([smhd])$/.exec(t);
  if (ago) return now.getTime() - Number(ago[1]) * UNIT_MS[ago[2]!]!;
  const date = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}.*)?$/.exec(t);
  if (!date) return undefined;
  const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
  // Date rolls 2026-02-30 over to March 2 and 2026-13-45 into 2027: a date must name a day that exists.
  const check = new Date(Date.UTC(2000, 0, 1));
  check.setUTCFullYear(year, month - 1, day);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  if (date[4] !== undefined) {
    const ms = Date.parse(t);
    return Number.isNaN(ms) ? undefined : ms;
  }
  // A date alone is UTC midnight for Date.parse; a user means their own day, as with a time.
  // setFullYear, as the constructor reads years 0-99 as 1900-1999.
  const midnight = new Date(2000, 0, 1);
  midnight.setFullYear(year, month - 1, day);
  return midnight.getTime();
}
