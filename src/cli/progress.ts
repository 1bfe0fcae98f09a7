/**
 * Progress on stderr for long audits and scans: a counter and a bar on one
 * line, redrawn at most ten times a second, only when stderr is a terminal
 * (never in a pipe, a file or CI logs) and not with -q. The line is cleared
 * when the step ends and before any log line, so logs never mix with it.
 */
import { NO_PROGRESS, type Progress } from '../core/progress.js';

const WIDTH = 24;
const EVERY_MS = 100;

/** The line on screen now, if any: cleared before a log line is written (see log.ts). */
let shown = false;

export function clearProgress(): void {
  if (!shown) return;
  process.stderr.write('\r\x1b[2K');
  shown = false;
}

/** Progress for this run: drawn when stderr is a terminal and -q is not given. */
export function progress(quiet: boolean, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (quiet || !stream.isTTY || process.env['TERM'] === 'dumb') return NO_PROGRESS;
  return {
    step(label, total) {
      let last = 0;
      const draw = (done: number) => {
        const filled = total > 0 ? Math.round((Math.min(done, total) / total) * WIDTH) : 0;
        stream.write(`\r\x1b[2Kbulkhead: [${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${done}/${total} ${label}`);
        shown = true;
        last = Date.now();
      };
      draw(0);
      return {
        tick: (done) => {
          if (Date.now() - last >= EVERY_MS || done === total) draw(done);
        },
        end: clearProgress,
      };
    },
  };
}
