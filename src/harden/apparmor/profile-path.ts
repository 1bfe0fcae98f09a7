/**
 * Paths from a TOML file are spliced into AppArmor rules, so each one is read
 * against a small grammar of what AppArmor accepts and refused otherwise:
 * a newline, a comma outside `{a,b}`, a quote or a `#` could otherwise end
 * the rule and start another one.
 *
 *   path        := start piece*          start: "/", or a variable then "/" or nothing
 *   piece       := literal | "/" | "*" | "?" | class | alternation | variable
 *   class       := "[" "^"? (char | char "-" char)+ "]"
 *   alternation := "{" piece* ("," piece*)+ "}"     (nested; no two commas in a row)
 *   variable    := "@{" known-name "}"
 *
 * Literals are printable ASCII letters, digits, `._-+~:=%@` and space; a path
 * with a space is written quoted, as AppArmor wants it. Anything else (other
 * punctuation, control characters, non-ASCII) is refused rather than guessed at.
 */

import { quoted } from '../../reporters/sanitize.js';

/** An AppArmor path (glob) checked by `profilePath`: only that function makes one. */
export type ProfilePath = string & { readonly __profilePath: unique symbol };

/** Variables that tunables/global defines on AppArmor 2.13 to 3.x (Debian, Ubuntu, SUSE). */
export const KNOWN_VARIABLES: ReadonlySet<string> = new Set([
  'PROC', 'HOME', 'HOMEDIRS', 'sys', 'run', 'multiarch', 'pid', 'pids', 'tid', 'uid', 'uids',
  'apparmorfs', 'securityfs', 'etc_ro', 'etc_rw',
]);

const LITERAL = /[A-Za-z0-9._\-+~:=%@ ]/;
const CLASS_CHAR = /[A-Za-z0-9._+~:=%@]/;
const MAX_LENGTH = 1024;

/** The path as a rule writes it (quoted when it has a space), or why it is refused. */
export function profilePath(text: string): { ok: true; path: ProfilePath } | { ok: false; why: string } {
  const why = problem(text);
  if (why) return { ok: false, why };
  return { ok: true, path: (text.includes(' ') ? `"${text}"` : text) as ProfilePath };
}

function problem(text: string): string | undefined {
  if (text.length === 0) return 'an empty path';
  if (text.length > MAX_LENGTH) return `longer than ${MAX_LENGTH} characters`;
  if (!text.startsWith('/') && !text.startsWith('@{')) return 'not absolute (a path must start with / or an @{VARIABLE})';
  let depth = 0;
  // Whether the innermost open alternation has seen a comma yet (AppArmor refuses `{a}`).
  const commas: boolean[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '/' || c === '*' || c === '?') continue;
    if (c === '@' && text[i + 1] === '{') {
      const end = text.indexOf('}', i);
      const name = end < 0 ? '' : text.slice(i + 2, end);
      if (!KNOWN_VARIABLES.has(name)) return `unknown variable @{${escaped(name)}} (known: ${[...KNOWN_VARIABLES].join(', ')})`;
      // `@{HOME}=…` or `@{HOME}+=…` at a rule's start reads as a variable assignment.
      if (i === 0 && end + 1 < text.length && text[end + 1] !== '/') return 'a variable at the start not followed by / (e.g. @{HOME}/x)';
      i = end;
      continue;
    }
    if (c === '[') {
      const end = text.indexOf(']', i);
      if (end < 0) return 'an unclosed [ character class';
      const body = text.slice(i + 1, end);
      if (!validClass(body)) return `a character class [${escaped(body)}] that is not letters, digits and ranges such as [^a-z0-9]`;
      i = end;
      continue;
    }
    if (c === '{') {
      depth++;
      commas.push(false);
      continue;
    }
    if (c === ',') {
      if (depth === 0) return 'a comma outside {alternatives} (a comma ends an AppArmor rule)';
      // The parser's lexer ends a path at two commas in a row, even inside braces.
      if (text[i + 1] === ',') return 'two commas in a row (an empty alternative goes first or last: {,a} or {a,})';
      commas[commas.length - 1] = true;
      continue;
    }
    if (c === '}') {
      if (depth === 0) return 'a } without its {';
      if (!commas.pop()) return 'an {alternation} without a comma (AppArmor wants at least two items, e.g. {a,b} or {,a})';
      depth--;
      continue;
    }
    if (LITERAL.test(c)) continue;
    return `the character ${describe(c)}, which a path in a profile may not contain`;
  }
  if (depth > 0) return 'an unclosed {';
  return undefined;
}

function validClass(body: string): boolean {
  let i = body.startsWith('^') ? 1 : 0;
  if (i >= body.length) return false;
  while (i < body.length) {
    const c = body[i]!;
    if (!CLASS_CHAR.test(c)) return false;
    if (body[i + 1] === '-') {
      const hi = body[i + 2];
      if (hi === undefined || !/[A-Za-z0-9]/.test(c) || !/[A-Za-z0-9]/.test(hi) || hi < c) return false;
      i += 3;
    } else i++;
  }
  return true;
}

/** Part of the path escaped as `quoted` escapes it, without the quotes, and cut: the error message stays one clean line. */
function escaped(text: string): string {
  return quoted(text, { max: 40, quotes: false });
}

/** A character named so that the error message itself stays one clean line. */
function describe(c: string): string {
  const code = c.codePointAt(0)!;
  if (code < 0x20 || code === 0x7f) return `U+${code.toString(16).padStart(4, '0').toUpperCase()} (a control character)`;
  if (code > 0x7e) return `U+${code.toString(16).padStart(4, '0').toUpperCase()} (only ASCII is accepted)`;
  return `'${c}'`;
}
