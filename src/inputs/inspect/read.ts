import type { Container } from '../../model/container.js';
import type { Loc } from '../../model/value.js';
import { ElementSplitter, JsonShapeError, type Element } from '../json/elements.js';
import { positionIn, utf16Length } from '../json/positions.js';
import { bytesSource, type ByteSource } from '../byte-source.js';
import { locatePaths } from '../json/locate.js';
import { firstSyntaxError } from '../json/parse-json.js';
import { InputError } from '../../core/errors.js';
import { NO_PROGRESS, type Progress } from '../../core/progress.js';
import { containerFromInspect, InspectShapeError } from './adapt.js';

/**
 * Reads the output of `docker inspect` (an array of container documents, or
 * one document) into containers whose facts can be placed at file:line:column.
 * `file` is the name shown to the user ('-' is stdin).
 *
 * It works on the UTF-8 bytes, read a piece at a time: each element is read,
 * decoded, parsed and adapted on its own, and read again only if a finding
 * must be placed in it, so tens of megabytes of input are never held whole.
 * The source must stay open until the findings are placed.
 */
export function containersFromInspect(source: ByteSource, file: string, progress: Progress = NO_PROGRESS): Container[] {
  return [...readInspect(source, file, progress).batches].flat();
}

/** The containers of an inspect output, read a batch at a time, and how many there were. */
export interface InspectBatches {
  /** Read once, in order. */
  readonly batches: Iterable<Container[]>;
  /** How many containers the batches held, once they are all read (undefined before). */
  count(): number | undefined;
}

/** Containers judged per batch, at most. */
const BATCH = 128;

/** Bytes read at a time: the window fileSource holds. */
const CHUNK = 1 << 20;

/**
 * The same containers, a batch at a time, so that a caller can judge and
 * place each batch and let it go before reading the next: the parsed
 * documents then die young (for 10,000 containers, a fifth less time than
 * holding them all, most of it the garbage collector's, and a third less
 * memory). The file is read once, a megabyte at a time: each piece is split
 * into elements, and the elements completed in it are parsed, judged and
 * placed while its bytes are at hand. A piece starts where the element the
 * last one ended in starts, so each element is whole in the piece it is
 * completed in. (Splitting the whole file first and reading it again cost
 * ~40 ms of 10,000 containers.) A malformed file is an error once the reading
 * reaches the fault; nothing is reported before the last batch.
 */
export function readInspect(source: ByteSource, file: string, progress: Progress = NO_PROGRESS, size = BATCH): InspectBatches {
  const where = (offset: number) => {
    const p = positionIn(source, offset);
    return `${file}:${p.line}:${p.column}`;
  };
  let count: number | undefined;
  function* batches(): Generator<Container[]> {
    const splitter = new ElementSplitter();
    const step = progress.step('MB read', Math.ceil(source.size / CHUNK));
    let read = 0;
    let fed = 0;
    do {
      const from = splitter.open ?? fed;
      const to = Math.min(source.size, fed + CHUNK);
      let done: Element[];
      try {
        splitter.feed(source.read(from, to).subarray(fed - from), fed);
        done = to === source.size ? splitter.finish(to) : splitter.take();
      } catch (e) {
        if (e instanceof JsonShapeError) throw new InputError(`${where(e.offset)}: malformed JSON: ${e.message}`);
        throw e;
      }
      fed = to;
      step.tick(Math.ceil(fed / CHUNK));
      for (let first = 0; first < done.length; first += size) {
        const batch: Container[] = [];
        for (let i = first; i < Math.min(first + size, done.length); i++) batch.push(containerAt(source, done[i]!, read + i, file, where));
        yield batch;
      }
      read += done.length;
    } while (fed < source.size);
    step.end();
    count = read;
  }
  return { batches: batches(), count: () => count };
}

function containerAt(source: ByteSource, el: Element, index: number, file: string, where: (offset: number) => string): Container {
  const text = source.read(el.start, el.end).toString('utf8');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    const error = firstSyntaxError(text);
    throw new InputError(`${where(el.start + Buffer.byteLength(text.slice(0, error.offset)))}: malformed JSON: ${error.message}`);
  }
  try {
    return containerFromInspect(doc, { kind: 'inspect', file, locate: locator(source, el, file) });
  } catch (e) {
    if (e instanceof InspectShapeError) throw new InputError(`${where(el.start)}: element ${index} is not \`docker inspect\` output for a container: ${e.message}`);
    throw e;
  }
}

/** The same, from text in memory (tests, and callers that already hold it). */
export function containersFromInspectText(text: string, file: string): Container[] {
  return containersFromInspect(bytesSource(Buffer.from(text, 'utf8')), file);
}

/** Finds the positions of a container's paths in one pass over its bytes, without building a tree. */
function locator(source: ByteSource, el: Element, file: string): (paths: readonly string[]) => ReadonlyMap<string, Loc> {
  return (paths) => {
    const element = source.read(el.start, el.end);
    // A place in the element, moved to where the element starts in the file. A key holds no newline, so it ends on its line.
    return locatePaths(
      element,
      paths,
      (offset, length, line, lineStart) => {
        const column = utf16Length(element, lineStart, offset) + (line === 1 ? el.column : 1);
        const inFile = el.line + line - 1;
        return { file, line: inFile, column, endLine: inFile, endColumn: column + utf16Length(element, offset, offset + length) };
      },
      el.layout,
    );
  };
}
