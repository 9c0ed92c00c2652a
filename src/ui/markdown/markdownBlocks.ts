/**
 * Splits growing markdown into finished blocks and an unfinished tail, incrementally.
 *
 * A streamed answer only ever grows at its end, so everything before the last blank line that is
 * outside a code fence is final: it can be parsed and sanitised once and never again. Only the
 * tail is re-rendered on each frame, which keeps a 100,000-token answer from costing a full
 * markdown parse per frame. (Lists split by blank lines render as separate lists; a fair price.)
 */
export class BlockSplitter {
  private prev = '';
  /** Where the unfinished tail starts. */
  private tailStart = 0;
  /** Start of the first line not yet scanned (always a line start). */
  private scanFrom = 0;
  /** The open fence (``` or ~~~, with its length), or null outside a fence. */
  private fence: string | null = null;

  /**
   * Feeds the whole text so far. Returns the blocks that became final since the last call, the
   * current tail, and `reset: true` when the text is not a continuation of the previous one
   * (a new answer): the caller then drops the blocks it kept.
   */
  update(text: string): { added: string[]; tail: string; reset: boolean } {
    let reset = false;
    if (!text.startsWith(this.prev)) {
      this.prev = '';
      this.tailStart = 0;
      this.scanFrom = 0;
      this.fence = null;
      reset = true;
    }
    this.prev = text;
    const added: string[] = [];
    let lineStart = this.scanFrom;
    for (;;) {
      const nl = text.indexOf('\n', lineStart);
      if (nl === -1) break; // the last line may still grow: leave it for the next call
      const line = text.slice(lineStart, nl);
      const next = nl + 1;
      const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line);
      if (marker) {
        const m = marker[1];
        if (this.fence === null) this.fence = m;
        else if (m[0] === this.fence[0] && m.length >= this.fence.length && line.trim() === m) this.fence = null;
      } else if (this.fence === null && line.trim() === '') {
        const block = text.slice(this.tailStart, lineStart);
        if (block.trim()) added.push(block);
        this.tailStart = next;
      }
      lineStart = next;
    }
    this.scanFrom = lineStart;
    return { added, tail: text.slice(this.tailStart), reset };
  }
}
