import { ByteWriter } from './byte-writer.js';
import { jsonText } from './sanitize.js';

/**
 * A piece of a report's text: a string, or UTF-8 bytes that are valid only
 * until the next piece is asked for (the writer reuses their buffer): copy or
 * write them before asking.
 */
export type ReportPiece = string | Uint8Array;

/**
 * An array written element by element: each is made, stringified and
 * dropped in turn, so a report of a hundred thousand findings is never one
 * tree of objects or one string of tens of megabytes. What `toJson` returns
 * is written by JSON.stringify: plain JSON, no LazyArray inside.
 */
export class LazyArray<T> {
  constructor(
    readonly items: Iterable<T>,
    readonly toJson: (item: T) => unknown,
    /**
     * Writes toJson(item)'s JSON text at an indentation as UTF-8 directly,
     * where that is worth its own code (findings); false when it did not all fit.
     */
    readonly toBytes?: (item: T, indent: string, out: ByteWriter) => boolean,
  ) {}
}

/**
 * The text of `JSON.stringify(value, null, 2) + '\n'`, in pieces, with every
 * LazyArray inside `value` written element by element. Only the skeleton
 * around the lazy arrays is walked here; everything else goes through
 * JSON.stringify itself. A LazyArray that writes its own bytes comes as
 * pieces of up to `chunk` bytes (see ReportPiece).
 */
export function* jsonPieces(value: unknown, chunk = CHUNK): Generator<ReportPiece> {
  yield* pieces(value, '', chunk);
  yield '\n';
}

/** A megabyte: what the report writer hands on at a time. */
const CHUNK = 1 << 20;

function* pieces(value: unknown, indent: string, chunk: number): Generator<ReportPiece> {
  if (value instanceof LazyArray) {
    yield* lazyArray(value, indent, chunk);
    return;
  }
  if (!holdsLazy(value)) {
    yield reindent(jsonText(value, 2), indent);
    return;
  }
  const inner = indent + '  ';
  if (Array.isArray(value)) {
    yield '[';
    for (const [i, item] of value.entries()) {
      yield `${i ? ',' : ''}\n${inner}`;
      // JSON.stringify writes null for what it cannot write inside an array.
      yield* pieces(item === undefined || typeof item === 'function' ? null : item, inner, chunk);
    }
    yield `\n${indent}]`;
    return;
  }
  const entries = Object.entries(value as object).filter(([, v]) => v !== undefined && typeof v !== 'function');
  yield '{';
  for (const [i, [key, v]] of entries.entries()) {
    yield `${i ? ',' : ''}\n${inner}${jsonText(key)}: `;
    yield* pieces(v, inner, chunk);
  }
  yield `\n${indent}}`;
}

function* lazyArray<T>(array: LazyArray<T>, indent: string, chunk: number): Generator<ReportPiece> {
  const inner = indent + '  ';
  const generic = (item: T) => reindent(jsonText(array.toJson(item), 2), inner);
  if (!array.toBytes) {
    let first = true;
    for (const item of array.items) {
      yield `${first ? '[' : ','}\n${inner}${generic(item)}`;
      first = false;
    }
    yield first ? '[]' : `\n${indent}]`;
    return;
  }
  const out = new ByteWriter(chunk);
  const open = Buffer.from(`[\n${inner}`);
  const comma = Buffer.from(`,\n${inner}`);
  let first = true;
  for (const item of array.items) {
    const start = first ? open : comma;
    first = false;
    const mark = out.length;
    if (out.bytes(start) && array.toBytes(item, inner, out)) continue;
    // It did not fit: hand on what is written, and write it again in the emptied buffer.
    out.truncate(mark);
    if (out.length > 0) yield out.take();
    if (out.bytes(start) && array.toBytes(item, inner, out)) continue;
    out.truncate(0);
    yield start.toString() + generic(item); // larger than the whole buffer (a message of megabytes)
  }
  if (out.length > 0) yield out.take();
  yield first ? '[]' : `\n${indent}]`;
}

/** Whether a LazyArray sits anywhere inside (plain objects and arrays only: the skeleton of a report). */
function holdsLazy(value: unknown): boolean {
  if (value instanceof LazyArray) return true;
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some(holdsLazy);
  if (Object.getPrototypeOf(value) !== Object.prototype) return false; // toJSON and friends: JSON.stringify's business
  return Object.values(value).some(holdsLazy);
}

function reindent(json: string, indent: string): string {
  return indent ? json.replaceAll('\n', `\n${indent}`) : json;
}
