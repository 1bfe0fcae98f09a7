/**
 * Compose variable interpolation, as `docker compose` applies it to every
 * value of a compose file (and to unquoted and double-quoted `.env` values):
 * `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`,
 * `${VAR?error}`, `${VAR:+replacement}`, `${VAR+replacement}`, `$$` for a
 * literal `$`. Defaults and replacements may themselves hold variables.
 *
 * An unset variable with no default becomes '' (compose warns). Text that is
 * not a valid template (`$1`, an unclosed `${`) is kept as written: compose
 * refuses such a file, but the rest of it is still worth auditing.
 */

/** Where a variable's value comes from; undefined when it is unset. */
export type Lookup = (name: string) => string | undefined;

/** `${VAR:?message}` (or `?`) on an unset variable: the file cannot be used. */
export class MissingVariable extends Error {
  constructor(
    readonly variable: string,
    readonly detail: string,
  ) {
    super(`required variable ${variable} is missing a value${detail ? `: ${detail}` : ''}`);
  }
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/** Substitutes every variable of `text`. Throws MissingVariable for `${VAR?err}` / `${VAR:?err}` on an unset (or empty) variable. */
export function interpolate(text: string, lookup: Lookup): string {
  if (!text.includes('$')) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar < 0) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, dollar);
    const next = text[dollar + 1];
    if (next === '$') {
      out += '$';
      i = dollar + 2;
    } else if (next === '{') {
      const end = closingBrace(text, dollar + 2);
      if (end < 0) {
        out += text.slice(dollar); // an unclosed ${: kept as written
        break;
      }
      const expanded = braced(text.slice(dollar + 2, end), lookup);
      out += expanded ?? text.slice(dollar, end + 1);
      i = end + 1;
    } else {
      const name = NAME.exec(text.slice(dollar + 1))?.[0];
      if (name) {
        out += lookup(name) ?? '';
        i = dollar + 1 + name.length;
      } else {
        out += '$';
        i = dollar + 1;
      }
    }
  }
  return out;
}

/** Index of the `}` that closes a `${` whose body starts at `from`, counting nested `${…}`; -1 when none. */
function closingBrace(text: string, from: number): number {
  let depth = 1;
  for (let j = from; j < text.length; j++) {
    const ch = text[j];
    if (ch === '$' && text[j + 1] === '$') j++;
    else if (ch === '$' && text[j + 1] === '{') {
      depth++;
      j++;
    } else if (ch === '}' && --depth === 0) return j;
  }
  return -1;
}

/** The value of a `${…}` body, or undefined when the body is not a valid template. */
function braced(body: string, lookup: Lookup): string | undefined {
  const name = NAME.exec(body)?.[0];
  if (!name) return undefined;
  const rest = body.slice(name.length);
  const value = lookup(name);
  if (rest === '') return value ?? '';
  const colon = rest.startsWith(':');
  const op = rest[colon ? 1 : 0];
  const arg = rest.slice(colon ? 2 : 1);
  // With a colon, an empty value counts as unset.
  const unset = value === undefined || (colon && value === '');
  switch (op) {
    case '-':
      return unset ? interpolate(arg, lookup) : value!;
    case '?':
      if (unset) throw new MissingVariable(name, interpolate(arg, lookup));
      return value!;
    case '+':
      return unset ? '' : interpolate(arg, lookup);
    default:
      return undefined;
  }
}
