// A one-line progress bar on stderr: step, steps/s and the latest loss. Redraws at most every 100 ms
// and only when stderr is a terminal (a log file gets one final line instead).
export class ProgressBar {
  private readonly total: number;
  private readonly started = performance.now();
  private lastDraw = 0;
  private readonly tty = process.stderr.isTTY === true;

  constructor(total: number) {
    this.total = total;
  }

  update(step: number, loss: number): void {
    const now = performance.now();
    if (!this.tty || (now - this.lastDraw < 100 && step !== this.total)) return;
    this.lastDraw = now;
    process.stderr.write(`\r${this.line(step, loss, now)}`);
  }

  finish(step: number, loss: number): void {
    const line = this.line(step, loss, performance.now());
    process.stderr.write(this.tty ? `\r${line}\n` : `${line}\n`);
  }

  private line(step: number, loss: number, now: number): string {
    const width = 30;
    const filled = Math.round((width * step) / this.total);
    const rate = step / Math.max((now - this.started) / 1000, 1e-9);
    return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${step}/${this.total} ${rate.toFixed(1)} steps/s loss ${loss.toFixed(4)}`;
  }
}
