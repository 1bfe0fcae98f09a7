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

/**
 * Untrusted text quoted in a one-line message: JSON.stringify's escapes (a
 * newline as \n), and DEL and the C1 controls as \u escapes too, which
 * JSON leaves as they are. Unlike `plain`, nothing is lost: the user sees
 * what the input holds.
 */
export function quoted(text: string): string {
  return JSON.stringify(text).replace(/[\x7f-\x9f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
