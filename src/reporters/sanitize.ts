/**
 * Text from containers (names, paths, image names, process titles) is
 * untrusted: an escape sequence in a container name must not reach the
 * terminal. Removes ANSI/VT escape sequences, then every other C0/C1 control
 * character, keeping newlines and tabs only when asked.
 */
const ESCAPES = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\|[@-Z\\-_])/g;
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;
const CONTROLS_AND_NEWLINES = /[\x00-\x1f\x7f-\x9f]/g;

export function plain(text: string, keepNewlines = false): string {
  return text.replace(ESCAPES, '').replace(keepNewlines ? CONTROLS : CONTROLS_AND_NEWLINES, '');
}

export interface QuoteOptions {
  /** Characters of the text kept at most; a cut text ends with `…`. */
  readonly max?: number;
  /** False: the escaped text without its surrounding quotes. */
  readonly quotes?: boolean;
}

/**
 * Untrusted text quoted in a one-line message: cut first (so a cut never
 * splits an escape), then JSON.stringify's escapes (a newline as \n), and
 * DEL, the C1 controls and the Unicode line and paragraph separators as \u
 * escapes too, which JSON leaves as they are. Unlike `plain`, nothing is lost
 * but a long text's tail: the user sees what the input holds.
 */
export function quoted(text: string, options: QuoteOptions = {}): string {
  const max = options.max ?? Infinity;
  let cut = text;
  if (text.length > max) {
    // Not between the two halves of a surrogate pair.
    const end = /[\ud800-\udbff]/.test(text[max - 1] ?? '') ? max - 1 : max;
    cut = `${text.slice(0, end)}…`;
  }
  const json = jsonText(cut);
  return options.quotes === false ? json.slice(1, -1) : json;
}

const RAW_IN_JSON = /[\x7f-\x9f\u2028\u2029]/;
const RAW_IN_JSON_ALL = /[\x7f-\x9f\u2028\u2029]/g;

/**
 * JSON text (JSON.stringify's) with DEL, the C1 controls and the Unicode
 * line and paragraph separators written as \u escapes, which JSON allows
 * and JSON.stringify does not do: the same data for a parser, and nothing a
 * terminal acts on (a C1 CSI from a container's label) when a report is
 * printed or paged. Outside strings JSON text is plain ASCII, so every such
 * character is inside one.
 */
export function jsonSafe(json: string): string {
  return RAW_IN_JSON.test(json) ? json.replace(RAW_IN_JSON_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : json;
}

/** `value` as JSON text (JSON.stringify's, `null` for what it cannot write) with jsonSafe's escapes: what every JSON output of bulkhead writes. */
export function jsonText(value: unknown, indent?: number): string {
  return jsonSafe(JSON.stringify(value, null, indent) ?? 'null');
}
