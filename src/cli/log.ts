import { plain } from '../reporters/sanitize.js';
import { clearProgress } from './progress.js';

/** Logs go to stderr, never mixed with reports on stdout; -q silences them. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  /** An error that does not stop the run (a malformed file among many); shown even with -q. */
  error(message: string): void;
}

export function log(quiet: boolean): Logger {
  const write = (prefix: string, message: string) => {
    if (quiet) return;
    clearProgress();
    process.stderr.write(`bulkhead: ${prefix}${plain(message)}\n`);
  };
  return {
    info: (m) => write('', m),
    warn: (m) => write('warning: ', m),
    error: (m) => {
      clearProgress();
      process.stderr.write(`bulkhead: ${plain(m)}\n`);
    },
  };
}
