import { InputError } from '../core/errors.js';
import { MAX_INPUT_BYTES } from './read-input.js';

/**
 * The bytes of a line kept: an audit record is at most a few KB (the kernel
 * cuts a record at 8,970 bytes) and an strace line a few hundred unless
 * `-s` asks for more; a longer line's head is handed on and its tail read
 * and dropped, so memory stays small on any input.
 */
export const MAX_LINE_BYTES = 1024 * 1024;

/** Called with each line: its text (UTF-8), its 1-based number, and false when it was longer than the limit and `text` is its head alone. */
export type LineHandler = (text: string, line: number, whole: boolean) => void | Promise<void>;

/**
 * Hands on every line of `source` (split at \n; a \r before it dropped; a
 * last line without one included) as it is read, awaiting `each` when it
 * returns a promise (a slow stdout holds the reading back). Each read is
 * awaited, so signals are handled however long the input. A line is kept to
 * `maxLine` bytes; one that runs on past the bytes bulkhead reads (a binary
 * file, /dev/zero) is an InputError naming `name` and the line. An error of
 * the source (a failed read) is thrown as `readError` makes it; one of
 * `each` as it is. Unlike readline, no line is ever held whole: readline
 * builds a line in one string, and a line of more than V8's longest string
 * (~512 MiB) threw a RangeError from a stream event, past every catch.
 */
export async function eachLine(source: AsyncIterable<Buffer>, name: string, each: LineHandler, readError: (e: unknown) => Error, maxLine = MAX_LINE_BYTES): Promise<void> {
  let parts: Buffer[] = [];
  /** Bytes of the current line in `parts`, and in it all (kept or not). */
  let kept = 0;
  let length = 0;
  let line = 0;
  const hand = () => {
    const bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts, kept);
    let text = bytes.toString('utf8');
    const whole = length <= maxLine;
    // Only a whole line's last \r ends it (\r\n); a head's is text like any.
    if (whole && text.endsWith('\r')) text = text.slice(0, -1);
    parts = [];
    kept = length = 0;
    return each(text, ++line, whole);
  };
  const chunks = source[Symbol.asyncIterator]();
  let done = false;
  try {
    for (;;) {
      let next: IteratorResult<Buffer>;
      try {
        next = await chunks.next();
      } catch (e) {
        done = true;
        throw readError(e);
      }
      if (next.done) {
        done = true;
        break;
      }
      const chunk = next.value;
      for (let start = 0; ; ) {
        const nl = chunk.indexOf(10, start);
        const end = nl === -1 ? chunk.length : nl;
        length += end - start;
        if (kept < maxLine && end > start) {
          const take = Math.min(end - start, maxLine - kept);
          parts.push(chunk.subarray(start, start + take));
          kept += take;
        }
        if (nl === -1) break;
        const waiting = hand();
        if (waiting) await waiting;
        start = nl + 1;
      }
      if (length > MAX_INPUT_BYTES) throw new InputError(`${name}:${line + 1}: a line of more than the ${MAX_INPUT_BYTES} bytes bulkhead reads`);
    }
    if (length > 0) await hand();
  } finally {
    // Stopped early (an error): the source is closed, not left reading.
    if (!done) await chunks.return?.();
  }
}
