import { InputError } from '../../core/errors.js';
import { endpointAt, type Endpoint } from './endpoint.js';

/**
 * The engines of `--hosts-file`: one Docker host URL a line; `#` starts a
 * comment, blank lines are skipped. A line that is not one URL is a usage
 * error naming FILE:LINE, before any engine is asked anything.
 */
export function parseHostsFile(text: string, file: string, env?: Readonly<Record<string, string | undefined>>, home?: string): Endpoint[] {
  const endpoints: Endpoint[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return;
    const where = `${file}:${i + 1}`;
    if (/\s/.test(line)) throw new InputError(`${where}: expected one Docker host URL a line, got "${line}"`);
    try {
      endpoints.push(endpointAt(line, '--hosts-file', env, home));
    } catch (e) {
      if (e instanceof InputError) throw new InputError(`${where}: ${e.message}`);
      throw e;
    }
  });
  if (endpoints.length === 0) throw new InputError(`${file}: no Docker hosts in it`);
  return endpoints;
}
