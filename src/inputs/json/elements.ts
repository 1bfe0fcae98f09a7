/** A top-level value of a JSON document, as a slice of its text. */
export interface Element {
  readonly start: number;
  readonly end: number;
}

export class JsonShapeError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/**
 * Finds the elements of a top-level JSON array without building it, so that
 * each can be parsed (and dropped) on its own: `docker inspect` output for
 * thousands of containers never has to live in memory twice.
 * A top-level object counts as one element. Only structure is checked here;
 * JSON.parse of each element finds any other error.
 */
export function topLevelElements(text: string): Element[] {
  let i = skipSpace(text, 0);
  if (text[i] === '{') {
    const end = skipValue(text, i);
    expectEnd(text, end);
    return [{ start: i, end }];
  }
  if (text[i] !== '[') throw new JsonShapeError(i >= text.length ? 'empty input, expected a JSON array' : 'expected a JSON array or object', i);
  const elements: Element[] = [];
  i = skipSpace(text, i + 1);
  if (text[i] === ']') {
    expectEnd(text, i + 1);
    return elements;
  }
  for (;;) {
    const start = i;
    const end = skipValue(text, i);
    elements.push({ start, end });
    i = skipSpace(text, end);
    if (text[i] === ',') {
      i = skipSpace(text, i + 1);
      continue;
    }
    if (text[i] === ']') {
      expectEnd(text, i + 1);
      return elements;
    }
    throw new JsonShapeError(i >= text.length ? 'unexpected end of input' : "expected ',' or ']'", i);
  }
}

function expectEnd(text: string, i: number): void {
  const j = skipSpace(text, i);
  if (j < text.length) throw new JsonShapeError('unexpected text after the JSON value', j);
}

function skipSpace(text: string, i: number): number {
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    i++;
  }
  return i;
}

/** Returns the offset just past the value starting at `i`: brackets balanced, strings skipped. */
export function skipValue(text: string, i: number): number {
  const open = text[i];
  if (open !== '{' && open !== '[') {
    // A scalar: runs to the next delimiter.
    if (open === '"') return skipString(text, i);
    let j = i;
    while (j < text.length && !',]} \n\r\t'.includes(text[j]!)) j++;
    if (j === i) throw new JsonShapeError(j >= text.length ? 'unexpected end of input' : `unexpected '${text[j]}'`, j);
    return j;
  }
  const stack: string[] = [];
  let j = i;
  while (j < text.length) {
    const c = text[j]!;
    if (c === '"') {
      j = skipString(text, j);
      continue;
    }
    if (c === '{' || c === '[') stack.push(c === '{' ? '}' : ']');
    else if (c === '}' || c === ']') {
      if (stack.pop() !== c) throw new JsonShapeError(`unexpected '${c}'`, j);
      if (stack.length === 0) return j + 1;
    }
    j++;
  }
  throw new JsonShapeError('unexpected end of input (unclosed bracket)', j);
}

export function skipString(text: string, i: number): number {
  let j = i + 1;
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (c === 0x5c) j += 2;
    else if (c === 0x22) return j + 1;
    else j++;
  }
  throw new JsonShapeError('unexpected end of input (unterminated string)', i);
}
