/** What a parser of a host file gives: the facts it understood, and one line per line it did not. */
export interface Parsed<T> {
  readonly items: T[];
  /** `FILE:LINE: what is wrong`, one line each, for the audit's notes. */
  readonly problems: string[];
}

/** The lines of a text with their 1-based numbers (a final newline makes no extra line). */
export function* numberedLines(text: string): Generator<{ readonly text: string; readonly line: number }> {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  for (let i = 0; i < lines.length; i++) yield { text: lines[i]!.replace(/\r$/, ''), line: i + 1 };
}

/** Many bad lines make one note: the first, and how many more. */
export function summarise(problems: readonly string[]): string | undefined {
  if (problems.length === 0) return undefined;
  const more = problems.length - 1;
  return more === 0 ? problems[0] : `${problems[0]} (and ${more} more ${more === 1 ? 'line' : 'lines'} like it)`;
}
