/**
 * The names of the ids in an /etc/passwd or /etc/group text: both are lines
 * of `name:password:id:…`. The first line for an id wins, as getpwuid(3) and
 * getgrgid(3) find it in files. Comments, NIS `+`/`-` entries and lines that
 * are not of that shape are skipped: the text is the audited host's, not
 * ours, and may be anything.
 */
export function idNames(text: string | undefined): ReadonlyMap<number, string> {
  const names = new Map<number, string>();
  if (text === undefined) return names;
  for (const line of text.split('\n')) {
    const [name, , id] = line.split(':', 3);
    if (!name || id === undefined || /^[#+-]/.test(name) || !/^\d{1,10}$/.test(id)) continue;
    const n = Number(id);
    if (n > 0xffffffff || names.has(n)) continue;
    names.set(n, name);
  }
  return names;
}
