import { quoted as quotedText } from '../../reporters/sanitize.js';

/** Longest piece of host text a note repeats: a garbage command line can be megabytes. */
const MAX = 80;

/**
 * Host text for a message: cut to a readable length and, by default, in JSON
 * quotes so spaces, quotes and control characters show as what they are.
 */
export function quoted(text: string, quotes = true): string {
  return quotedText(text, { max: MAX, quotes });
}
