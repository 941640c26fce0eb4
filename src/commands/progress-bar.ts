/**
 * A one-line progress bar on a terminal's stderr (`lockscope analyze`): a label, a bar, done/total.
 * Redrawn in place with a carriage return, at most every 100 ms (a kernel directory has tens of
 * thousands of functions; a redraw each would cost more than the work), and cleared when done so
 * the report on stdout starts on a clean screen. Callers create one only when stderr is a TTY: in
 * a pipe or a log file the escapes would be noise.
 */

export interface ProgressBar {
  /** Shows `label [####......] done/total`; a new label always redraws. */
  update(label: string, done: number, total: number): void;
  /** Erases the bar. */
  clear(): void;
}

const WIDTH = 30;
const INTERVAL_MS = 100;

export function progressBar(stream: { write(text: string): unknown; columns?: number }, now: () => number = Date.now): ProgressBar {
  let shownLabel = '';
  let shownAt = -Infinity;
  let drawn = false;
  return {
    update(label, done, total) {
      const t = now();
      if (label === shownLabel && done < total && t - shownAt < INTERVAL_MS) return;
      shownLabel = label;
      shownAt = t;
      const fraction = total > 0 ? Math.min(1, done / total) : 1;
      const filled = Math.round(fraction * WIDTH);
      const line = `lockscope: ${label} [${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${done}/${total}`;
      // Never wider than the terminal: a wrapped line cannot be redrawn with \r.
      const max = (stream.columns ?? 80) - 1;
      stream.write(`\r\u001b[K${line.length > max ? line.slice(0, max) : line}`);
      drawn = true;
    },
    clear() {
      if (drawn) stream.write('\r\u001b[K');
      drawn = false;
    },
  };
}
