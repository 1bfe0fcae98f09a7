/** Writes docs/rules/<name>.md for every rule, the catalog docs/rules/README.md the README's rule table and its seccomp groups table. `npm run docs`. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RULES } from '../src/rules/index.js';
import { ruleDoc } from '../src/docs/rule-doc.js';
import { examplesOf } from '../src/docs/examples.js';
import { rulesMarkdown } from '../src/cli/rules.js';
import { withRulesTable } from '../src/docs/readme.js';
import { withGroupsTable } from '../src/harden/seccomp/groups-doc.js';

const root = join(fileURLToPath(import.meta.url), '..', '..', '..');
const out = join(root, 'docs', 'rules');
mkdirSync(out, { recursive: true });
for (const rule of RULES) writeFileSync(join(out, `${rule.name}.md`), ruleDoc(rule, examplesOf(root, rule.name)));
writeFileSync(join(out, 'README.md'), `# Rules\n\n${rulesMarkdown(RULES).replaceAll('](docs/rules/', '](')}`);
const readme = join(root, 'README.md');
writeFileSync(readme, withGroupsTable(withRulesTable(readFileSync(readme, 'utf8'), rulesMarkdown(RULES))));
console.log(`wrote ${RULES.length} rule pages to docs/rules/`);
