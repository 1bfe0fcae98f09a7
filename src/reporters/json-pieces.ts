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
    /** Writes toJson(item)'s JSON text at an indentation directly, where that is worth its own code (findings). */
    readonly toText?: (item: T, indent: string) => string,
  ) {}
}

/**
 * The text of `JSON.stringify(value, null, 2) + '\n'`, in pieces, with every
 * LazyArray inside `value` written element by element. Only the skeleton
 * around the lazy arrays is walked here; everything else goes through
 * JSON.stringify itself.
 */
export function* jsonPieces(value: unknown): Generator<string> {
  yield* pieces(value, '');
  yield '\n';
}

function* pieces(value: unknown, indent: string): Generator<string> {
  if (value instanceof LazyArray) {
    yield* lazyArray(value, indent);
    return;
  }
  if (!holdsLazy(value)) {
    yield reindent(JSON.stringify(value, null, 2), indent);
    return;
  }
  const inner = indent + '  ';
  if (Array.isArray(value)) {
    yield '[';
    for (const [i, item] of value.entries()) {
      yield `${i ? ',' : ''}\n${inner}`;
      // JSON.stringify writes null for what it cannot write inside an array.
      yield* pieces(item === undefined || typeof item === 'function' ? null : item, inner);
    }
    yield `\n${indent}]`;
    return;
  }
  const entries = Object.entries(value as object).filter(([, v]) => v !== undefined && typeof v !== 'function');
  yield '{';
  for (const [i, [key, v]] of entries.entries()) {
    yield `${i ? ',' : ''}\n${inner}${JSON.stringify(key)}: `;
    yield* pieces(v, inner);
  }
  yield `\n${indent}}`;
}

function* lazyArray<T>(array: LazyArray<T>, indent: string): Generator<string> {
  const inner = indent + '  ';
  let first = true;
  for (const item of array.items) {
    const text = array.toText ? array.toText(item, inner) : reindent(JSON.stringify(array.toJson(item), null, 2) ?? 'null', inner);
    yield `${first ? '[' : ','}\n${inner}${text}`;
    first = false;
  }
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
