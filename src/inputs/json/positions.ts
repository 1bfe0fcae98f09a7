/** Distance between remembered positions: a lookup behind the cursor restarts from the nearest one. */
const CHECKPOINT = 1 << 16;

/**
 * Maps character offsets of a text to 1-based line and column. Lookups come
 * mostly in increasing order (container after container), so it counts lines
 * forward from the last lookup instead of indexing every line of a text that
 * may be tens of megabytes. It remembers a position every 64 KiB it passes,
 * so a lookup behind the cursor counts from the nearest of those.
 */
export class LineIndex {
  private offset = 0;
  private line = 1;
  /** Offset where the cursor's line starts. */
  private lineStart = 0;
  private readonly checkpoints: { offset: number; line: number; lineStart: number }[] = [{ offset: 0, line: 1, lineStart: 0 }];

  constructor(private readonly text: string) {}

  position(offset: number): { line: number; column: number } {
    if (offset < this.offset) {
      const back = this.checkpoints[Math.min(Math.floor(offset / CHECKPOINT), this.checkpoints.length - 1)]!;
      ({ offset: this.offset, line: this.line, lineStart: this.lineStart } = back);
    }
    for (let i = this.text.indexOf('\n', this.offset); i !== -1 && i < offset; i = this.text.indexOf('\n', i + 1)) {
      this.line++;
      this.lineStart = i + 1;
      // Checkpoints sit at the first line start past each 64 KiB boundary, in order.
      if (this.lineStart >= this.checkpoints.length * CHECKPOINT) this.checkpoints.push({ offset: this.lineStart, line: this.line, lineStart: this.lineStart });
    }
    this.offset = offset;
    return { line: this.line, column: offset - this.lineStart + 1 };
  }
}
