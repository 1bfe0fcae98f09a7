const START = /<!-- rules:start[^>]*-->/;
const END = '<!-- rules:end -->';

/** The README with its generated rule table replaced by `table`. */
export function withRulesTable(readme: string, table: string): string {
  const start = START.exec(readme);
  const end = readme.indexOf(END);
  if (!start || end < start.index) throw new Error('README.md lacks the <!-- rules:start --> … <!-- rules:end --> markers');
  const head = readme.slice(0, start.index + start[0].length);
  return `${head}\n${table}${readme.slice(end)}`;
}
