/** Longest piece of host text a note repeats: a garbage command line can be megabytes. */
const MAX = 80;

/**
 * Host text for a message: cut to a readable length and, by default, in JSON
 * quotes so spaces, quotes and control characters show as what they are
 * (the reporters strip what a terminal would act on; this keeps it legible).
 */
export function quoted(text: string, quotes = true): string {
  const cut = text.length > MAX ? `${text.slice(0, MAX)}…` : text;
  const json = JSON.stringify(cut);
  return quotes ? json : json.slice(1, -1);
}
