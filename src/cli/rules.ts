import type { Command } from 'commander';
import { Option } from 'commander';
import { RULES } from '../rules/index.js';
import type { Rule } from '../core/rule.js';
import { oneOf } from './options.js';

const FORMATS = ['text', 'json', 'markdown'] as const;

export function registerRules(program: Command): void {
  program
    .command('rules')
    .description('list the rule catalog: ids, names, severities, CIS references and the peers\' ids')
    .addOption(new Option('-f, --format <format>', `output format: ${FORMATS.join(', ')}`).argParser(oneOf(FORMATS)).default('text'))
    .action((opts: { format: (typeof FORMATS)[number] }) => {
      process.stdout.write(opts.format === 'json' ? rulesJson(RULES) : opts.format === 'markdown' ? rulesMarkdown(RULES) : rulesText(RULES));
    });
}

export function rulesJson(rules: readonly Rule[]): string {
  const list = rules.map((r) => ({
    id: r.id,
    name: r.name,
    severity: r.severity,
    category: r.category,
    references: r.references,
    aliases: r.aliases,
    needs: r.needs,
    summary: r.docs.summary,
    rationale: r.docs.rationale,
    remediation: r.docs.remediation,
  }));
  return JSON.stringify({ schemaVersion: 1, rules: list }, null, 2) + '\n';
}

function rulesText(rules: readonly Rule[]): string {
  const width = Math.max(...rules.map((r) => r.name.length));
  return rules.map((r) => `${r.id}  ${r.name.padEnd(width)}  ${r.severity.padEnd(8)}  ${r.references.join(' ').padEnd(8)}  ${r.docs.summary}`).join('\n') + '\n';
}

/** The catalog table of the README and docs/rules/README.md. */
export function rulesMarkdown(rules: readonly Rule[]): string {
  const rows = rules.map(
    (r) => `| ${r.id} | [${r.name}](docs/rules/${r.name}.md) | ${r.severity} | ${r.references.join(', ')} | ${r.aliases.join(', ')} | ${r.docs.summary} |`,
  );
  return ['| id | rule | severity | CIS | peers | what |', '|---|---|---|---|---|---|', ...rows].join('\n') + '\n';
}
