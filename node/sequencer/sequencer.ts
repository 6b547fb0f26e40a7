// The sequencer loop: the block clock. Every genesis block interval it seals a block, an empty one
// when no transaction waits (as OP Stack sequencers do), so a deadline counted in blocks arrives on
// an idle chain too. Ticks are due on a fixed grid (start + k · interval), not "interval after the
// last seal ended", so seal time and timer lateness do not stretch the cadence; after a stall longer
// than an interval (a paused process, a slow disk) the grid restarts from now instead of bursting
// blocks to catch up. A failed seal is logged and the next tick comes as due; the loop never dies.
import type { Chain } from '../chain/chain.ts';
import type { Logger } from '../logger.ts';

export class Sequencer {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  /** performance.now() at which the next tick is due */
  private due = 0;

  constructor(
    private readonly chain: Chain,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.due = performance.now() + this.intervalMs;
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick();
    }, Math.max(0, this.due - performance.now()));
  }

  private async tick(): Promise<void> {
    try {
      await this.chain.seal();
    } catch (e) {
      this.logger.error({ err: e }, 'sealing failed');
    }
    this.due += this.intervalMs;
    const now = performance.now();
    if (now - this.due > this.intervalMs) {
      this.logger.warn({ behindMs: Math.round(now - this.due) }, 'block clock fell behind; skipping the missed ticks');
      this.due = now;
    }
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
