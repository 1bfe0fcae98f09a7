import type { Loc } from '../../model/value.js';

/** Replace text[start, end) with `text`; an insertion has start === end. Offsets are UTF-16 indexes into the original text. */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/**
 * Applies edits made against the same original text. Edits that overlap an
 * earlier one are dropped rather than merged: two fixers touching the same
 * bytes means one of them was wrong about the file, and the next run shows
 * what is left.
 */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    if (e.start < at) continue;
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + text.slice(at);
}

/** The line ending the file uses (CRLF when its first line ends so). */
export function eolOf(text: string): '\n' | '\r\n' {
  const nl = text.indexOf('\n');
  return nl > 0 && text[nl - 1] === '\r' ? '\r\n' : '\n';
}

/** Offsets of the start of each line. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/** The offset of a Loc's start (or end) in the text its lines came from. */
export function offsetOf(starts: readonly number[], loc: Loc, which: 'start' | 'end' = 'start'): number {
  const line = which === 'end' ? (loc.endLine ?? loc.line) : loc.line;
  const column = which === 'end' ? (loc.endColumn ?? loc.column) : loc.column;
  return (starts[line - 1] ?? starts[starts.length - 1]!) + column - 1;
}

/** The start of the line holding `offset`. */
export function lineStartAt(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The offset just past the line ending of the line holding `offset` (the text's length on the last line). */
export function nextLineAt(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl + 1;
}
