/**
 * The two ways untrusted text (names, messages, paths, notes, the target)
 * enters the HTML report. Terminal escapes and control characters go first
 * (sanitize.ts), then every character that could start markup or leave an
 * attribute value is escaped, so a name like `<img src=x onerror=...>` is text.
 */
import { plain } from './sanitize.js';

const TEXT: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const ATTR: Record<string, string> = { ...TEXT, '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** For element content; newlines kept (the page shows them where CSS says pre-wrap). */
export function text(s: string): string {
  return plain(s, true).replace(/[&<>]/g, (c) => TEXT[c]!);
}

/** For a double-quoted attribute value; newlines removed. */
export function attr(s: string): string {
  return plain(s).replace(/[&<>"'`]/g, (c) => ATTR[c]!);
}
