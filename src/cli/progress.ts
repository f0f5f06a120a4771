/**
 * Progress of a long command on stderr: a bar redrawn in place on a terminal (at most ten times a
 * second), plain lines otherwise (a log file or CI keeps them) at every tenth of the way and at
 * least every PLAIN_EVERY_MS, so stdout holds only the result.
 */
import type { Palette } from './color.ts';

export interface ProgressOptions {
  readonly total: number;
  readonly what: string;
  readonly stream?: NodeJS.WriteStream;
  readonly colors: Palette;
}

const WIDTH = 30;
const REDRAW_MS = 100;
const PLAIN_EVERY_MS = 10_000;

export class Progress {
  private readonly stream: NodeJS.WriteStream;
  private readonly tty: boolean;
  private readonly started = Date.now();
  private lastDraw = 0;
  private lastTenth = 0;
  private drawn = false;

  constructor(private readonly options: ProgressOptions) {
    this.stream = options.stream ?? process.stderr;
    this.tty = this.stream.isTTY === true;
  }

  update(done: number): void {
    const { total, what } = this.options;
    if (this.tty) {
      const now = Date.now();
      if (now - this.lastDraw < REDRAW_MS && done < total) return;
      this.lastDraw = now;
      const filled = total === 0 ? WIDTH : Math.min(WIDTH, Math.round((WIDTH * done) / total));
      const bar = this.options.colors.green('#'.repeat(filled)) + '-'.repeat(WIDTH - filled);
      this.stream.write(`\r\u001b[K[${bar}] ${done}/${total} ${what}, ${((now - this.started) / 1000).toFixed(1)} s`);
      this.drawn = true;
      return;
    }
    const tenth = total === 0 ? 10 : Math.floor((10 * done) / total);
    const now = Date.now();
    if (tenth > this.lastTenth || now - Math.max(this.started, this.lastDraw) >= PLAIN_EVERY_MS) {
      this.lastTenth = tenth;
      this.lastDraw = now;
      this.stream.write(`${done}/${total} ${what} (${((Date.now() - this.started) / 1000).toFixed(1)} s)\n`);
    }
  }

  /** Clears the bar (on a terminal) so that the next message starts on a clean line. */
  done(): void {
    if (this.tty && this.drawn) this.stream.write('\r\u001b[K');
    this.drawn = false;
  }
}
