import { isUtf8 } from 'node:buffer';
import { SourceText } from '../../inputs/source-text.js';

/**
 * Where a file's bytes stop being UTF-8: the offset of the first byte that
 * does not start or continue a well-formed sequence (overlong forms,
 * surrogates and code points past U+10FFFF included, as the decoder sees
 * them), or -1 when every byte is UTF-8. Text read from such a file holds
 * U+FFFD where those bytes were, so writing it back would change them.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  if (isUtf8(bytes)) return -1;
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return i;
    }
    i += need + 1;
  }
  return -1;
}

/** The 1-based line and column (in characters of the text before it) of a byte offset, counted from `start` (after a byte order mark). */
export function utf8Position(bytes: Uint8Array, offset: number, start = 0): { line: number; column: number } {
  const before = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8', start, offset);
  const { line, column } = new SourceText(before, '').loc(before.length, before.length);
  return { line, column };
}
