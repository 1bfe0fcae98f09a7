import { interpolate, type Lookup } from './interpolate.js';

/** One `KEY=VALUE` of a `.env` or env_file, with the 1-based line and column of its key. */
export interface DotenvEntry {
  readonly name: string;
  readonly value: string;
  readonly line: number;
  readonly column: number;
}

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*/;

/**
 * Parses a dotenv file the way compose reads `.env` and env_file: `KEY=VALUE`
 * lines (an optional `export ` before), `#` comment lines and ` #` comments
 * after unquoted values, single-quoted values taken literally, double-quoted
 * ones with backslash escapes, both possibly over several lines. Unquoted and
 * double-quoted values are interpolated: `lookup` (the environment) first,
 * then the variables defined above in the same file. Lines that are not
 * assignments are skipped, as nothing in them can be a value.
 */
export function parseDotenv(text: string, lookup: Lookup = () => undefined): DotenvEntry[] {
  const entries: DotenvEntry[] = [];
  const defined = new Map<string, string>();
  const resolve: Lookup = (name) => lookup(name) ?? defined.get(name);
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n]!;
    let rest = raw.trimStart();
    if (rest === '' || rest.startsWith('#')) continue;
    let column = raw.length - rest.length + 1;
    if (/^export\s+/.test(rest)) {
      const after = rest.replace(/^export\s+/, '');
      column += rest.length - after.length;
      rest = after;
    }
    const name = KEY.exec(rest)?.[0];
    if (!name) continue;
    const afterName = rest.slice(name.length).trimStart();
    if (!afterName.startsWith('=')) continue;
    let value = afterName.slice(1).trimStart();
    const line = n + 1;
    const quote = value[0];
    if (quote === '"' || quote === "'") {
      // A quoted value runs to its closing quote, over further lines if need be.
      let body = value.slice(1);
      let close = closingQuote(body, quote);
      while (close < 0 && n + 1 < lines.length) {
        body += '\n' + lines[++n]!;
        close = closingQuote(body, quote);
      }
      const inner = close < 0 ? body : body.slice(0, close);
      value = quote === "'" ? inner : interpolateSafe(unescape(inner), resolve);
    } else {
      const comment = value.search(/\s#/);
      if (comment >= 0) value = value.slice(0, comment);
      value = interpolateSafe(value.trimEnd(), resolve);
    }
    defined.set(name, value);
    entries.push({ name, value, line, column });
  }
  return entries;
}

function closingQuote(body: string, quote: string): number {
  for (let i = 0; i < body.length; i++) {
    if (quote === '"' && body[i] === '\\') i++;
    else if (body[i] === quote) return i;
  }
  return -1;
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\', $: '$' };

function unescape(s: string): string {
  return s.replace(/\\(.)/gs, (whole, ch: string) => ESCAPES[ch] ?? whole);
}

/** A `${VAR:?err}` in a dotenv value that cannot be met leaves the value as written: it is data, not the compose file. */
function interpolateSafe(value: string, lookup: Lookup): string {
  try {
    return interpolate(value, lookup);
  } catch {
    return value;
  }
}
