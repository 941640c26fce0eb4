/**
 * Which summaries of a recursive cycle an analysis read, and when, so that the next round of the
 * cycle's fixpoint redoes only the analyses something they read has changed under since (the
 * worklist of a chaotic-iteration solver, as Goblint's and Infer's are). Summaries change only
 * between two top-level analyses of the round, never during one: an analysis is a function of
 * what it read.
 */

/** The reads of one analysis: each member's id, and the clock when it was read (for a result reused, when that result read it). */
export type Reads = ReadonlyMap<number, number>;

export class CycleReads {
  /** Bumped at every change of a member's summary. */
  private clock = 0;
  private readonly changedAt = new Map<number, number>();
  /** The analyses under way, innermost last: a read counts for each of them. */
  private readonly open: Map<number, number>[] = [];

  /** An analysis starts. */
  begin(): void {
    this.open.push(new Map());
  }

  /** The analysis under way read this member's summary, as it is now. */
  read(id: number): void {
    this.note(id, this.clock);
  }

  /** A result reused in the analysis under way: what it read counts as read here, when it read it. */
  reuse(reads: Reads): void {
    for (const [id, at] of reads) this.note(id, at);
  }

  /** The analysis under way ends: its reads, which also count for the one around it. */
  end(): Reads {
    const reads = this.open.pop() ?? new Map<number, number>();
    this.reuse(reads);
    return reads;
  }

  /** A member's summary changed. */
  changed(id: number): void {
    this.changedAt.set(id, ++this.clock);
  }

  /** Nothing the analysis read has changed since it read it: done again, it would come to the same. */
  fresh(reads: Reads): boolean {
    for (const [id, at] of reads) if ((this.changedAt.get(id) ?? 0) > at) return false;
    return true;
  }

  /** The oldest read is the one that goes stale first. */
  private note(id: number, at: number): void {
    const top = this.open.at(-1);
    if (!top) return;
    const had = top.get(id);
    if (had === undefined || at < had) top.set(id, at);
  }
}
