import { baselineOfReport, renderBaseline } from '../core/baseline.js';
import { InputError } from '../core/errors.js';
import { readStdin, readTextFile } from '../inputs/read-input.js';
import type { BaselineCreateOptions } from './baseline.js';
import type { Logger } from './log.js';
import { writeAtomically } from './output.js';

export async function createBaseline(file: string, opts: BaselineCreateOptions, logger: Logger): Promise<void> {
  let text: string;
  if (opts.from !== undefined) text = readTextFile(opts.from);
  else if (process.stdin.isTTY) throw new InputError('no report to read: pipe one in (bulkhead scan . -f json | bulkhead baseline create FILE) or give --from REPORT.json');
  else text = await readStdin();
  const entries = baselineOfReport(text, opts.from ?? 'stdin');
  await writeAtomically(file, [renderBaseline(entries)]);
  logger.info(`wrote a baseline of ${entries.length} ${entries.length === 1 ? 'finding' : 'findings'} to ${file}`);
}
